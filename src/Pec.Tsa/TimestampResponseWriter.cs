using System.Formats.Asn1;

namespace Pec.Tsa;

/// <summary>Encodes TimeStampResp (RFC 3161, 2.4.2) in DER.</summary>
internal static class TimestampResponseWriter
{
    private const int StatusGranted = 0;
    private const int StatusRejection = 2;

    public static byte[] Granted(byte[] timeStampToken)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(StatusGranted);
            }

            writer.WriteEncodedValue(timeStampToken);
        }

        return writer.Encode();
    }

    public static byte[] Rejected(TimestampFailure failure, string statusText)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(StatusRejection);
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, statusText);
                }

                writer.WriteBitString(FailureBits((int)failure), unusedBitCount: 7 - ((int)failure % 8));
            }
        }

        return writer.Encode();
    }

    // A named bit list in DER: bit 0 is the most significant bit of the first byte, trailing zero bytes dropped.
    private static byte[] FailureBits(int bit)
    {
        var bytes = new byte[(bit / 8) + 1];
        bytes[bit / 8] = (byte)(0x80 >> (bit % 8));
        return bytes;
    }
}
