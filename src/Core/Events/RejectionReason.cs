namespace Spumr.Core.Events;

/// <summary>Why an event was refused. <see cref="EventRejection.Code"/> gives the wire code.</summary>
public enum RejectionReason
{
    /// <summary>The payload is larger than the configured limit (checked before parsing).</summary>
    PayloadTooLarge,

    /// <summary>The payload is not one well-formed JSON object.</summary>
    MalformedJson,

    /// <summary>The <c>schemaVersion</c> is not one this build reads.</summary>
    UnsupportedSchemaVersion,

    /// <summary>The <c>type</c> names no known event type.</summary>
    UnknownEventType,

    /// <summary>The <c>type</c> is known but belongs on another topic.</summary>
    WrongEventType,

    /// <summary>A required field is absent or null.</summary>
    MissingField,

    /// <summary>A field has the wrong JSON type or a value outside its rules.</summary>
    InvalidField,

    /// <summary>The feature vector holds NaN or an infinity.</summary>
    NonFiniteVector,

    /// <summary>The feature vector's length differs from the modality's configured width.</summary>
    WrongVectorWidth,

    /// <summary>The modality is not one of the configured modalities.</summary>
    UnknownModality,
}
