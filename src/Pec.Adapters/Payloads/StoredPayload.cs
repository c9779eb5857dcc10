namespace Pec.Adapters.Payloads;

/// <summary>A payload as the store holds it: its SHA-256 (lowercase hex) and its size in bytes.</summary>
public sealed record StoredPayload(string Sha256Hex, long Size);
