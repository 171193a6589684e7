namespace Spumr.Core.Events;

/// <summary>A refused event: a machine-readable reason, a message for people, and the field at fault.</summary>
/// <param name="Reason">What kind of problem it is.</param>
/// <param name="Message">One sentence naming what is wrong, for logs and dead-letter headers.</param>
/// <param name="Field">The JSON field at fault (such as <c>timestamp</c> or <c>vector[3]</c>), when there is one.</param>
public sealed record EventRejection(RejectionReason Reason, string Message, string? Field = null)
{
    /// <summary>The stable kebab-case code of <see cref="Reason"/>, as written to dead-letter headers.</summary>
    public string Code => CodeOf(Reason);

    public static string CodeOf(RejectionReason reason) => reason switch
    {
        RejectionReason.PayloadTooLarge => "payload-too-large",
        RejectionReason.MalformedJson => "malformed-json",
        RejectionReason.UnsupportedSchemaVersion => "unsupported-schema-version",
        RejectionReason.UnknownEventType => "unknown-event-type",
        RejectionReason.WrongEventType => "wrong-event-type",
        RejectionReason.MissingField => "missing-field",
        RejectionReason.InvalidField => "invalid-field",
        RejectionReason.NonFiniteVector => "non-finite-vector",
        RejectionReason.WrongVectorWidth => "wrong-vector-width",
        RejectionReason.UnknownModality => "unknown-modality",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public override string ToString() => $"{Code}: {Message}";
}
