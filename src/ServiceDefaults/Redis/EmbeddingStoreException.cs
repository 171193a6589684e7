namespace Spumr.ServiceDefaults.Redis;

/// <summary>The store refused an operation (a missing or incomplete version, a lost race); the message says which.</summary>
public sealed class EmbeddingStoreException(string message) : Exception(message);
