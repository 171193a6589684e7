using Spumr.Trainer.Torch;
using Spumr.Trainer.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Spumr.Trainer.Tests.Training;

public sealed class AdamOptimizerTests
{
    [Fact]
    public void It_takes_the_same_steps_as_torchs_adam()
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu, 1);
        using var scope = NewDisposeScope();
        manual_seed(11);
        var start = randn(20, 4);
        var target = randn(20, 4);
        var ours = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        using var adam = new AdamOptimizer([ours], 0.01);
        var reference = optim.Adam([theirs], lr: 0.01);

        for (var step = 0; step < 25; step++)
        {
            adam.ZeroGrad();
            var d = ours.sub(target);
            d.mul(d).sum().backward();
            adam.Step();

            reference.zero_grad();
            var e = theirs.sub(target);
            e.mul(e).sum().backward();
            reference.step();
        }

        Assert.Equal(25, adam.StepCount);
        Assert.True(allclose(ours, theirs, rtol: 1e-6, atol: 1e-7), $"max difference {(ours - theirs).abs().max().item<float>()}");
        Assert.False(allclose(ours, start));
    }
}
