namespace Spumr.ServiceDefaults.Redis;

/// <summary>
/// Pipelining with a bound: commands are sent without waiting for replies, and at most
/// <c>depth</c> replies are outstanding before the batch waits for them. StackExchange.Redis
/// pipelines on its own whenever tasks are not awaited one by one.
/// </summary>
internal sealed class CommandBatch(int depth)
{
    private readonly List<Task> _inFlight = new(depth);

    public long Sent { get; private set; }

    public async ValueTask AddAsync(Task command)
    {
        _inFlight.Add(command);
        Sent++;
        if (_inFlight.Count >= depth)
        {
            await FlushAsync();
        }
    }

    public async Task FlushAsync()
    {
        if (_inFlight.Count == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_inFlight);
        }
        finally
        {
            _inFlight.Clear();
        }
    }
}
