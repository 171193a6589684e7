using Spumr.Trainer.Models;
using Spumr.Trainer.Torch;
using static TorchSharp.torch;

namespace Spumr.Trainer.Tests.Models;

public sealed class BprLossTests
{
    public BprLossTests() => TorchRuntime.Initialize(DeviceChoice.Cpu, 1);

    [Fact]
    public void The_bpr_loss_is_minus_the_mean_log_sigmoid_of_the_margin()
    {
        using var scope = NewDisposeScope();
        var loss = BprLoss.Bpr(tensor(new float[] { 2, 0 }), tensor(new float[] { 1, 3 })).item<float>();

        var expected = -(Math.Log(1 / (1 + Math.Exp(-1))) + Math.Log(1 / (1 + Math.Exp(3)))) / 2;
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void The_embedding_loss_is_mmrecs_sum_of_frobenius_norms_over_the_batch_size()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 3, 4, 0, 0 }).reshape(2, 2); // norm 5
        var b = tensor(new float[] { 1, 0, 0, 0 }).reshape(2, 2); // norm 1

        Assert.Equal(3.0, BprLoss.EmbeddingNorm(a, b).item<float>(), 6);
    }
}
