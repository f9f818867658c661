using System.Collections.Concurrent;
using Simulation.Scenarios;
using Simulation.Workshop;

namespace Simulation.Workshop.Web;

/// <summary>
/// The running session: the current <see cref="WorkshopSession"/>, the one writer of its journal, and the feed open
/// pages follow. Actions run one at a time: apply to the session (a refusal changes nothing), append to the journal and
/// flush it to disk, and only then publish the new session and answer.
/// </summary>
public sealed class WorkshopRuntime : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile WorkshopSession _current;

    private readonly IJournalMirror? _mirror;

    private WorkshopRuntime(WorkshopSession session, SessionFile file, SessionFolder folder, TimeProvider clock, IJournalMirror? mirror)
    {
        _current = session;
        File = file;
        Folder = folder;
        Clock = clock;
        _mirror = mirror;
    }

    public WorkshopSession Current => _current;

    public SessionFile File { get; }

    public SessionFolder Folder { get; }

    public TimeProvider Clock { get; }

    /// <summary>When each team was last seen (any request with its token): the lobby's "joined".</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastSeen => _lastSeen;

    /// <summary>
    /// The session in <paramref name="directory"/>: the journal (if any) replayed over a new session of
    /// <paramref name="setup"/>. Throws <see cref="InvalidDataException"/> when an entry cannot be replayed.
    /// </summary>
    /// <param name="mirror">A second copy of the journal that outlives this machine (with <c>--cluster</c>: Redis); written after the file, before the answer.</param>
    public static WorkshopRuntime Open(WorkshopSetup setup, SessionFile file, string directory, TimeProvider clock, IJournalMirror? mirror = null)
    {
        var session = Replay(setup, SessionFolder.ReadJournal(directory));
        return new WorkshopRuntime(session, file, SessionFolder.Open(directory), clock, mirror);
    }

    /// <summary>Folds <paramref name="journal"/> over a new session of <paramref name="setup"/>.</summary>
    public static WorkshopSession Replay(WorkshopSetup setup, IReadOnlyList<JournalEntry> journal)
    {
        var session = WorkshopSession.Start(setup);
        foreach (var entry in journal)
        {
            try
            {
                session = session.Apply(entry, replaying: true).Session;
            }
            catch (WorkshopRefusal e)
            {
                throw new InvalidDataException($"journal entry {entry.Seq} ({entry.Action} by {entry.By}) cannot be replayed: {e.Message}");
            }
        }
        return session;
    }

    /// <summary>
    /// Applies one action: the entry is made with the server's time now, applied, and (when it changed something)
    /// journaled and flushed before the new session is published. Throws <see cref="WorkshopRefusal"/>.
    /// </summary>
    public async Task<(WorkshopSession Session, bool Changed)> ExecuteAsync(Actor by, Func<DateTimeOffset, JournalEntry> make, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = _current;
            var entry = make(Clock.GetUtcNow()) with { Seq = current.Version + 1, By = by.ToString() };
            var (next, changed) = current.Apply(entry);
            if (!changed)
            {
                return (current, false);
            }
            Folder.Append(entry);
            _mirror?.Append(entry.Seq, SessionFolder.JournalLine(entry));
            _current = next;
            var done = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            done.TrySetResult();
            return (next, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits until the session's version passes <paramref name="after"/>, at most <paramref name="timeout"/>; returns the session then.</summary>
    public async Task<WorkshopSession> WaitForChangeAsync(int after, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (_current.Version <= after)
        {
            var changed = _changed.Task;
            if (_current.Version > after)
            {
                break;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return _current;
    }

    /// <summary>Completes when the next change is published.</summary>
    public Task NextChange => _changed.Task;

    public void Seen(string company) => _lastSeen[company] = Clock.GetUtcNow();

    public void Dispose()
    {
        Folder.Dispose();
        _gate.Dispose();
    }
}

/// <summary>Somewhere else an accepted journal entry is kept, in order, before the action is answered.</summary>
public interface IJournalMirror
{
    /// <summary>Keeps entry <paramref name="seq"/> (1, 2, ...) as its journal line; throws if it cannot.</summary>
    void Append(int seq, byte[] line);
}
