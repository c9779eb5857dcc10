namespace Pec.Signing.Tests.Support;

public enum SealKeyKind
{
    Rsa2048,
    Rsa3072,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    EcdsaBrainpoolP256,
}
