using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;
namespace Pec.Signing.Tests;
public sealed class MsgDump
{
    [Fact]
    public void Dump()
    {
        var lines = new List<string>();
        var (ca, seal) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var temp = new TempDirectory();
        using var weak = TestPki.CreateSeal(ca, SealKeyKind.Rsa2048);
        var (c1, k1) = TestPki.WritePem(weak, temp.Path, "weak");
        try { _ = new PlatformSeal(new PlatformSealOptions { CertificatePath = c1, KeyPath = k1 }); } catch (InvalidOperationException e) { lines.Add(e.Message); }
        var (ecCa, _) = SharedPki.Get(SealKeyKind.EcdsaP256);
        var (nc, nk) = TestPki.CreateSealAndKey(ecCa, SealKeyKind.EcdsaP256, X509KeyUsageFlags.KeyAgreement);
        var (c2, k2) = TestPki.WritePem(nc, nk, temp.Path, "nous");
        try { _ = new PlatformSeal(new PlatformSealOptions { CertificatePath = c2, KeyPath = k2 }); } catch (InvalidOperationException e) { lines.Add(e.Message); }
        try { _ = new PlatformSeal(new PlatformSealOptions { CertificatePath = c2, KeyPath = k1 }); } catch (InvalidOperationException e) { lines.Add(e.Message); }
        var (c3, _) = TestPki.WritePem(seal, temp.Path, "seal");
        try { _ = new PlatformSeal(new PlatformSealOptions { CertificatePath = c3, KeyPath = k1 }); } catch (InvalidOperationException e) { lines.Add(e.Message); }
        try { _ = new PlatformSeal(new PlatformSealOptions { CertificatePath = c3, KeyPath = "/nope.key" }); } catch (InvalidOperationException e) { lines.Add(e.Message); }
        try { _ = new PlatformSeal(new PlatformSealOptions { CertificatePath = "/nope.crt", KeyPath = "/nope.key" }); } catch (InvalidOperationException e) { lines.Add(e.Message); }
        try { _ = new PlatformSeal(weak); } catch (InvalidOperationException e) { lines.Add(e.Message); }
        File.WriteAllLines("/tmp/scratch/msgs.txt", lines);
    }
}
