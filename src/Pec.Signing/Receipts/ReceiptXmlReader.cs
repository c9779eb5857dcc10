using System.Security.Cryptography.Xml;
using System.Xml;

namespace Pec.Signing.Receipts;

/// <summary>
/// Reads a receipt back, strictly: the exact element order the writer produces, nothing else between elements
/// but whitespace. Comments are not covered by exclusive C14N, so any comment inside the content is refused
/// rather than silently ignored. Throws <see cref="FormatException"/> with an English reason.
/// </summary>
internal static class ReceiptXmlReader
{
    public static (ReceiptDocument Receipt, SealCertificateInfo Seal) Read(XmlElement root)
    {
        RequireName(root, ReceiptXml.Receipt);
        if (root.GetAttribute(ReceiptXml.VersionAttribute) != ReceiptXml.Version)
        {
            throw new FormatException($"The receipt version must be \"{ReceiptXml.Version}\".");
        }

        var cursor = new Cursor(root);
        var receiptId = ParseGuid(cursor.Text(ReceiptXml.ReceiptId), ReceiptXml.ReceiptId);
        var kindText = cursor.Text(ReceiptXml.Kind);
        if (!ReceiptKindNames.TryParse(kindText, out var kind))
        {
            throw new FormatException($"<{ReceiptXml.Kind}> '{kindText}' is not a receipt kind.");
        }

        var flowId = ParseGuid(cursor.Text(ReceiptXml.FlowId), ReceiptXml.FlowId);
        var flowType = NonEmpty(cursor.Text(ReceiptXml.FlowType), ReceiptXml.FlowType);
        var sender = NonEmpty(cursor.Text(ReceiptXml.Sender), ReceiptXml.Sender);

        var recipientsCursor = new Cursor(cursor.Next(ReceiptXml.Recipients));
        var recipients = new List<string>();
        while (recipientsCursor.TryText(ReceiptXml.Recipient, out var recipient))
        {
            recipients.Add(NonEmpty(recipient, ReceiptXml.Recipient));
        }

        recipientsCursor.End();

        var payload = ReadPayload(cursor.Next(ReceiptXml.Payload));
        var eventTime = ParseTime(cursor.Text(ReceiptXml.EventTime), ReceiptXml.EventTime);
        var issuedAt = ParseTime(cursor.Text(ReceiptXml.IssuedAt), ReceiptXml.IssuedAt);
        var reason = cursor.TryText(ReceiptXml.Reason, out var reasonText) ? reasonText : null;
        var reply = cursor.TryNext(ReceiptXml.Reply, out var replyElement) ? ReadPayload(replyElement) : null;
        var signature = cursor.TryNext(ReceiptXml.PayloadSignature, out var signatureElement) ? ReadSignature(signatureElement) : null;
        var seal = ReadSeal(cursor.Next(ReceiptXml.SealCertificate));
        cursor.Signature();
        cursor.End();

        var receipt = new ReceiptDocument(
            receiptId, kind, flowId, flowType, sender, recipients.AsReadOnly(), payload, eventTime, issuedAt, reason, reply, signature);
        return (receipt, seal);
    }

    private static PayloadDescription ReadPayload(XmlElement element)
    {
        var cursor = new Cursor(element);
        var sha256 = cursor.Text(ReceiptXml.Sha256);
        if (!ReceiptXml.IsSha256Hex(sha256))
        {
            throw new FormatException($"<{element.LocalName}>/<{ReceiptXml.Sha256}> must be 64 lowercase hexadecimal digits.");
        }

        var sizeText = cursor.Text(ReceiptXml.Size);
        if (!ReceiptXml.TryParseSize(sizeText, out var size))
        {
            throw new FormatException($"<{element.LocalName}>/<{ReceiptXml.Size}> '{sizeText}' is not a byte count.");
        }

        var mediaType = NonEmpty(cursor.Text(ReceiptXml.MediaType), ReceiptXml.MediaType);
        cursor.End();
        return new PayloadDescription(sha256, size, mediaType);
    }

    private static PayloadSignature ReadSignature(XmlElement element)
    {
        var cursor = new Cursor(element);
        var level = NonEmpty(cursor.Text(ReceiptXml.Level), ReceiptXml.Level);
        var subject = NonEmpty(cursor.Text(ReceiptXml.Subject), ReceiptXml.Subject);
        var issuer = NonEmpty(cursor.Text(ReceiptXml.Issuer), ReceiptXml.Issuer);
        var serialNumber = NonEmpty(cursor.Text(ReceiptXml.SerialNumber), ReceiptXml.SerialNumber);
        var sha256 = NonEmpty(cursor.Text(ReceiptXml.Sha256), ReceiptXml.Sha256);
        var method = NonEmpty(cursor.Text(ReceiptXml.SignatureMethod), ReceiptXml.SignatureMethod);
        DateTimeOffset? signingTime = cursor.TryText(ReceiptXml.SigningTime, out var timeText) ? ParseTime(timeText, ReceiptXml.SigningTime) : null;
        cursor.End();
        return new PayloadSignature(level, subject, issuer, serialNumber, sha256, method, signingTime);
    }

    private static SealCertificateInfo ReadSeal(XmlElement element)
    {
        var cursor = new Cursor(element);
        var subject = cursor.Text(ReceiptXml.Subject);
        var issuer = cursor.Text(ReceiptXml.Issuer);
        var serialNumber = cursor.Text(ReceiptXml.SerialNumber);
        var sha256 = cursor.Text(ReceiptXml.Sha256);
        cursor.End();
        return new SealCertificateInfo(subject, issuer, serialNumber, sha256);
    }

    private static Guid ParseGuid(string text, string name) =>
        ReceiptXml.TryParseGuid(text, out var value) ? value : throw new FormatException($"<{name}> '{text}' is not a GUID.");

    private static DateTimeOffset ParseTime(string text, string name) =>
        ReceiptXml.TryParseTime(text, out var value)
            ? value
            : throw new FormatException($"<{name}> '{text}' is not a UTC time of the form yyyy-MM-ddTHH:mm:ss.fffZ.");

    private static string NonEmpty(string text, string name) =>
        text.Length > 0 ? text : throw new FormatException($"<{name}> must not be empty.");

    private static void RequireName(XmlElement element, string localName)
    {
        if (element.LocalName != localName || element.NamespaceURI != ReceiptXml.Namespace)
        {
            throw new FormatException(
                $"Expected <{localName}> in namespace {ReceiptXml.Namespace}, found <{element.LocalName}> in namespace '{element.NamespaceURI}'.");
        }
    }

    /// <summary>Walks the child elements of one element in order.</summary>
    private sealed class Cursor
    {
        private readonly XmlElement _parent;
        private readonly List<XmlElement> _children = [];
        private int _position;

        public Cursor(XmlElement parent)
        {
            _parent = parent;
            foreach (XmlNode node in parent.ChildNodes)
            {
                switch (node)
                {
                    case XmlElement element:
                        _children.Add(element);
                        break;
                    case XmlWhitespace or XmlSignificantWhitespace:
                        break;
                    default:
                        throw new FormatException($"<{parent.LocalName}> may only contain elements, found a {node.NodeType} node.");
                }
            }
        }

        public XmlElement Next(string localName) =>
            TryNext(localName, out var element)
                ? element
                : throw new FormatException($"Expected <{localName}> in <{_parent.LocalName}>, found {Describe()}.");

        public bool TryNext(string localName, out XmlElement element)
        {
            if (_position < _children.Count
                && _children[_position].LocalName == localName
                && _children[_position].NamespaceURI == ReceiptXml.Namespace)
            {
                element = _children[_position++];
                return true;
            }

            element = null!;
            return false;
        }

        public string Text(string localName) => TextOf(Next(localName));

        public bool TryText(string localName, out string text)
        {
            if (TryNext(localName, out var element))
            {
                text = TextOf(element);
                return true;
            }

            text = string.Empty;
            return false;
        }

        public void Signature()
        {
            if (_position < _children.Count
                && _children[_position].LocalName == "Signature"
                && _children[_position].NamespaceURI == SignedXml.XmlDsigNamespaceUrl)
            {
                _position++;
                return;
            }

            throw new FormatException($"Expected ds:Signature after <{ReceiptXml.SealCertificate}>, found {Describe()}.");
        }

        public void End()
        {
            if (_position != _children.Count)
            {
                throw new FormatException($"Unexpected {Describe()} in <{_parent.LocalName}>.");
            }
        }

        private string Describe() =>
            _position < _children.Count ? $"<{_children[_position].Name}>" : "the end of the element";

        private static string TextOf(XmlElement element)
        {
            foreach (XmlNode node in element.ChildNodes)
            {
                if (node is not (XmlText or XmlCDataSection or XmlWhitespace or XmlSignificantWhitespace))
                {
                    throw new FormatException($"<{element.LocalName}> may only contain text, found a {node.NodeType} node.");
                }
            }

            var text = element.InnerText;

            // The writer never emits CR, and .NET and other verifiers digest a CR differently (see NormalizeLineBreaks).
            if (text.Contains('\r', StringComparison.Ordinal))
            {
                throw new FormatException($"<{element.LocalName}> contains a carriage return, which receipts never carry.");
            }

            return text;
        }
    }
}
