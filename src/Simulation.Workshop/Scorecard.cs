using System.Collections.Immutable;
using Simulation.Model.Config;

namespace Simulation.Workshop;

/// <summary>
/// The balanced score of each team after each round. Each part is the team's figure over the same figure in the
/// computer's play of the same world (the scenario with the facilitator's events, every company on its scenario
/// policy), times 100: 100 is as well as the computer would have done. The score is the parts' mean weighted by
/// <c>workshop.scoreWeights</c> (a part without a yardstick, such as users before an app launches, is left out).
/// </summary>
public sealed record Scorecard(ScoreWeights Weights, ImmutableArray<TeamScore> Leaderboard, ImmutableArray<ScoreRound> Rounds)
{
    public static Scorecard Of(WorkshopSession session, PlayedState computer)
    {
        var weights = ScoreWeights.From(session.Setup.Info.Workshop);
        var played = session.Played;
        var rounds = ImmutableArray.CreateBuilder<ScoreRound>(session.RoundsPlayed);
        for (var r = 1; r <= session.RoundsPlayed; r++)
        {
            var (mine, theirs) = (played.Rounds[r], computer.Rounds[r]);
            rounds.Add(new ScoreRound(r, mine.End, [.. session.Setup.Teams.Select(t => TeamScore.Of(t, mine.Company(t), theirs.Company(t), weights))]));
        }
        var last = rounds.Count > 0 ? rounds[^1].Teams : [];
        return new Scorecard(weights, [.. last.OrderByDescending(t => t.Score ?? double.NegativeInfinity).ThenBy(t => t.Company, StringComparer.Ordinal)], rounds.ToImmutable());
    }
}

public sealed record ScoreWeights(double Users, double Share, double Retention, double Cash, double Talent)
{
    public static ScoreWeights From(WorkshopInfo info) =>
        new(info.UsersWeight, info.ShareWeight, info.RetentionWeight, info.CashWeight, info.TalentWeight);
}

/// <summary>The five parts of a score, or five figures.</summary>
public sealed record ScoreParts(double? Users, double? Share, double? Retention, double? Cash, double? Talent);

/// <summary>A team's score after a round: the parts (100 = the computer's play), and the figures they come from.</summary>
public sealed record TeamScore(string Company, double? Score, ScoreParts Parts, ScoreParts Figures, ScoreParts Computer)
{
    public static TeamScore Of(string company, CompanyFigures mine, CompanyFigures computer, ScoreWeights w)
    {
        var figures = new ScoreParts(mine.Users, mine.Share, mine.Retention, mine.CashUsd, mine.Talent);
        var yardstick = new ScoreParts(computer.Users, computer.Share, computer.Retention, computer.CashUsd, computer.Talent);
        var parts = new ScoreParts(
            Index(figures.Users, yardstick.Users), Index(figures.Share, yardstick.Share), Index(figures.Retention, yardstick.Retention),
            Index(figures.Cash, yardstick.Cash), Index(figures.Talent, yardstick.Talent));
        (double? Part, double Weight)[] weighted =
            [(parts.Users, w.Users), (parts.Share, w.Share), (parts.Retention, w.Retention), (parts.Cash, w.Cash), (parts.Talent, w.Talent)];
        var used = weighted.Where(x => x.Part is not null && x.Weight > 0).ToArray();
        var total = used.Sum(x => x.Weight);
        double? score = total > 0 ? used.Sum(x => x.Part!.Value * x.Weight) / total : null;
        return new TeamScore(company, score, parts, figures, yardstick);
    }

    private static double? Index(double? value, double? yardstick) =>
        value is { } v && yardstick is { } y && y > 0 && double.IsFinite(v) ? 100 * v / y : null;
}

/// <summary>Every team's score after one round: the trajectory, round by round.</summary>
public sealed record ScoreRound(int Round, DateOnly End, ImmutableArray<TeamScore> Teams);
