using System.Diagnostics.CodeAnalysis;

namespace Pec.Signing.Receipts;

/// <summary>Converts <see cref="ReceiptKind"/> to and from its wire name in receipts.</summary>
public static class ReceiptKindNames
{
    /// <summary>Wire name of <see cref="ReceiptKind.Deposit"/>.</summary>
    public const string Deposit = "deposit";

    /// <summary>Wire name of <see cref="ReceiptKind.Delivery"/>.</summary>
    public const string Delivery = "delivery";

    /// <summary>Wire name of <see cref="ReceiptKind.Acknowledgement"/>.</summary>
    public const string Acknowledgement = "acknowledgement";

    /// <summary>Wire name of <see cref="ReceiptKind.NonDelivery"/>.</summary>
    public const string NonDelivery = "non-delivery";

    /// <summary>Returns the wire name of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static string ToWireName(this ReceiptKind kind) => kind switch
    {
        ReceiptKind.Deposit => Deposit,
        ReceiptKind.Delivery => Delivery,
        ReceiptKind.Acknowledgement => Acknowledgement,
        ReceiptKind.NonDelivery => NonDelivery,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown receipt kind."),
    };

    /// <summary>Parses a wire name (exact, case-sensitive match).</summary>
    public static bool TryParse([NotNullWhen(true)] string? wireName, out ReceiptKind kind)
    {
        switch (wireName)
        {
            case Deposit:
                kind = ReceiptKind.Deposit;
                return true;
            case Delivery:
                kind = ReceiptKind.Delivery;
                return true;
            case Acknowledgement:
                kind = ReceiptKind.Acknowledgement;
                return true;
            case NonDelivery:
                kind = ReceiptKind.NonDelivery;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>Parses a wire name (exact, case-sensitive match).</summary>
    /// <exception cref="FormatException"><paramref name="wireName"/> is not a receipt kind wire name.</exception>
    public static ReceiptKind Parse(string wireName) =>
        TryParse(wireName, out var kind) ? kind : throw new FormatException($"'{wireName}' is not a receipt kind.");
}
