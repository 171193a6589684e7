using Spumr.Core.Data;
using Spumr.Trainer.Graphs;
using static TorchSharp.torch;

namespace Spumr.Trainer.Training;

/// <summary>
/// What a model is built from: the data set, the device, and the shared data tensors derived from
/// the training split (built on first use, owned here, never saved as weights).
/// </summary>
public sealed class TrainingContext : IDisposable
{
    private NormalizedUserItemGraph? _userItemGraph;

    public TrainingContext(MmrecDataset data, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(device);
        Data = data;
        Device = device;
    }

    public MmrecDataset Data { get; }

    public Device Device { get; }

    public UserItemMatrix Train => Data.Train;

    /// <summary>LightGCN's symmetric-normalised user-item graph of the training split.</summary>
    public NormalizedUserItemGraph UserItemGraph => _userItemGraph ??= NormalizedUserItemGraph.Build(Data.Train, Device);

    public void Dispose() => _userItemGraph?.Dispose();
}
