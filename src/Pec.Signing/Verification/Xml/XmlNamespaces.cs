namespace Pec.Signing.Verification.Xml;

/// <summary>Namespace URIs and type URIs of XML-DSig and XAdES that the verifier looks for.</summary>
internal static class XmlNamespaces
{
    public const string Dsig = "http://www.w3.org/2000/09/xmldsig#";

    public const string ExclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

    public const string Xades132 = "http://uri.etsi.org/01903/v1.3.2#";

    public const string Xmlns = "http://www.w3.org/2000/xmlns/";

    /// <summary>The Reference Type of a XAdES SignedProperties reference (XAdES).</summary>
    public const string XadesSignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

    /// <summary>The Reference Type of a reference to a ds:Object.</summary>
    public const string DsigObjectType = "http://www.w3.org/2000/09/xmldsig#Object";
}
