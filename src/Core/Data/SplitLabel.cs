namespace Spumr.Core.Data;

/// <summary>The MMRec <c>x_label</c> values.</summary>
public enum SplitLabel : byte
{
    Train = 0,
    Validation = 1,
    Test = 2,
}
