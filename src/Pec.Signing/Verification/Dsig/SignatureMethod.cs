using System.Security.Cryptography;

namespace Pec.Signing.Verification.Dsig;

/// <summary>An accepted SignatureMethod: its URI, the key and padding it needs, and its hash.</summary>
internal sealed record SignatureMethod(string Uri, SignatureKeyFamily Family, HashAlgorithmName Hash);
