using static TorchSharp.torch;

namespace Spumr.Trainer.Training;

/// <summary>An in-memory copy of a module's state at its best epoch, to restore before testing.</summary>
public sealed class BestWeights : IDisposable
{
    private Dictionary<string, Tensor>? _state;

    public bool HasValue => _state is not null;

    public void Capture(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        Release();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _state = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    public void Restore(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (_state is null)
        {
            throw new InvalidOperationException("No weights were captured.");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            tensor.copy_(_state[name]);
        }
    }

    public void Dispose() => Release();

    private void Release()
    {
        if (_state is null)
        {
            return;
        }

        foreach (var t in _state.Values)
        {
            t.Dispose();
        }

        _state = null;
    }
}
