using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Tests.Support;

/// <summary>
/// One CA and seal per key kind for the whole test run: RSA key generation is slow, and the tests
/// that need a specific shape (other CA, missing key usage) build their own. Never dispose these.
/// </summary>
public static class SharedPki
{
    private static readonly ConcurrentDictionary<SealKeyKind, Lazy<(X509Certificate2 Ca, X509Certificate2 Seal)>> Cache = new();

    public static (X509Certificate2 Ca, X509Certificate2 Seal) Get(SealKeyKind kind) =>
        Cache.GetOrAdd(kind, k => new Lazy<(X509Certificate2, X509Certificate2)>(() => TestPki.CreateCaAndSeal(k))).Value;
}
