using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pec.Routing.Audit;

internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
