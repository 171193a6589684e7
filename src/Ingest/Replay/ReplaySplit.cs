namespace Spumr.Ingest.Replay;

/// <summary>Which interactions a replay sends.</summary>
public enum ReplaySplit
{
    /// <summary>Only MMRec's training split (<c>x_label</c> 0).</summary>
    Train,

    /// <summary>Every interaction, all splits.</summary>
    All,
}
