using System.ComponentModel.DataAnnotations;

namespace Pec.Adapters.Payloads;

/// <summary>Settings of the content-addressed payload store, bound from <c>Pec:Payloads</c>.</summary>
public sealed class PayloadStoreOptions
{
    /// <summary>Folder that holds the payloads; created at start when missing. No default.</summary>
    [Required(ErrorMessage = "Pec:Payloads:Directory is required (folder of the payload store).")]
    public string Directory { get; set; } = "";

    /// <summary>Size of the copy buffer, in bytes. Default 81,920 (the size <see cref="Stream.CopyToAsync(Stream)"/> uses).</summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int BufferSize { get; set; } = 81920;
}
