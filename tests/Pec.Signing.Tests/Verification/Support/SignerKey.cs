namespace Pec.Signing.Tests.Verification.Support;

/// <summary>Key types of generated signer certificates, including ones the verifier must refuse.</summary>
public enum SignerKey
{
    Rsa1024,
    Rsa2048,
    Rsa3072,
    EcdsaP256,
    EcdsaP384,
    EcdsaBrainpoolP256,
}
