using System.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>
/// The payload a detached signature designates by file name, held in memory: its exact bytes (digested when the
/// reference has no transform) and its parsed form (canonicalized when the reference has one C14N transform).
/// </summary>
internal sealed record DetachedPayload(byte[] Bytes, XmlDocument Document);
