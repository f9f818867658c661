using System.Text;

namespace Simulation.Model.State;

/// <summary>
/// The job market's state in a compact binary form, for the scheduler's checkpoints: at 100,000 researchers the state is
/// written at the end of every slice, and JSON (names repeated per field, numbers as text) cost a quarter of the scheduler
/// grain's time. Every field, exactly: doubles as their bits, strings as UTF-8; reading gives a state equal to the written
/// one field by field, which plays on byte for byte as the original would.
/// </summary>
public static class TalentStateCodec
{
    /// <summary>The format's first bytes: "TSC" and a version, so a checkpoint of another format is refused, not misread.</summary>
    private const int Magic = 0x01435354;

    public static byte[] Write(TalentState state)
    {
        using var stream = new MemoryStream(64 + 48 * state.Researchers.Length);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(state.Researchers.Length);
            foreach (var r in state.Researchers)
            {
                w.Write(r.Id);
                Nullable(w, r.Employer);
                w.Write(r.Region);
                w.Write(r.MonthlySalaryUsd);
                w.Write(r.InAi);
                w.Write(r.ProductiveFromDay);
                Nullable(w, r.BoundTo);
                w.Write(r.BoundUntilDay);
                w.Write(r.BoundSalaryUsd);
            }
            w.Write(state.Arbitrations.Count);
            foreach (var a in state.Arbitrations)
            {
                w.Write(a.Person);
                w.Write(a.Claimant);
                Nullable(w, a.Respondent);
                w.Write(a.FiledTick);
                w.Write(a.ResolvesOnDay);
                w.Write(a.Resolved);
            }
            w.Write(state.DeterredUntilDay.Length);
            foreach (var day in state.DeterredUntilDay)
            {
                w.Write(day);
            }
            w.Write(state.Unemployed.Length);
            foreach (var region in state.Unemployed)
            {
                w.Write(region.Length);
                foreach (var people in region)
                {
                    w.Write(people);
                }
            }
        }
        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">Not a state this codec wrote.</exception>
    public static TalentState Read(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        try
        {
            if (r.ReadInt32() != Magic)
            {
                throw new InvalidDataException("not a job-market checkpoint of this format");
            }
            var researchers = new ResearcherState[Count(r)];
            for (var i = 0; i < researchers.Length; i++)
            {
                researchers[i] = new ResearcherState
                {
                    Id = r.ReadString(),
                    Employer = Nullable(r),
                    Region = r.ReadString(),
                    MonthlySalaryUsd = r.ReadDouble(),
                    InAi = r.ReadBoolean(),
                    ProductiveFromDay = r.ReadInt32(),
                    BoundTo = Nullable(r),
                    BoundUntilDay = r.ReadInt32(),
                    BoundSalaryUsd = r.ReadDouble(),
                };
            }
            var arbitrations = new List<ArbitrationState>(Count(r));
            for (var k = arbitrations.Capacity; k > 0; k--)
            {
                arbitrations.Add(new ArbitrationState
                {
                    Person = r.ReadString(),
                    Claimant = r.ReadString(),
                    Respondent = Nullable(r),
                    FiledTick = r.ReadInt32(),
                    ResolvesOnDay = r.ReadInt32(),
                    Resolved = r.ReadBoolean(),
                });
            }
            var deterred = new int[Count(r)];
            for (var c = 0; c < deterred.Length; c++)
            {
                deterred[c] = r.ReadInt32();
            }
            var unemployed = new double[Count(r)][];
            for (var g = 0; g < unemployed.Length; g++)
            {
                unemployed[g] = new double[Count(r)];
                for (var t = 0; t < unemployed[g].Length; t++)
                {
                    unemployed[g][t] = r.ReadDouble();
                }
            }
            if (r.BaseStream.Position != bytes.Length)
            {
                throw new InvalidDataException("bytes left after the job market's state");
            }
            return new TalentState { Researchers = researchers, Arbitrations = arbitrations, DeterredUntilDay = deterred, Unemployed = unemployed };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("a job-market checkpoint cut short", e);
        }
    }

    private static int Count(BinaryReader r)
    {
        var n = r.ReadInt32();
        return n >= 0 ? n : throw new InvalidDataException($"a negative count ({n}) in a job-market checkpoint");
    }

    private static void Nullable(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? Nullable(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
