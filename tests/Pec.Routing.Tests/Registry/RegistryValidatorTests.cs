using Pec.Routing.Registry;

namespace Pec.Routing.Tests.Registry;

public sealed class RegistryValidatorTests
{
    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public void Validate_SampleShape_HasNoError()
    {
        Assert.Empty(RegistryValidator.Validate(CreateValid()));
    }

    [Fact]
    public void Validate_SampleRegistryFile_HasNoError()
    {
        var path = Path.Combine(RepositoryRoot(), "ops", "registry.json");
        var file = System.Text.Json.JsonSerializer.Deserialize<RegistryFile>(File.ReadAllText(path), JsonOptions)!;

        Assert.Empty(RegistryValidator.Validate(file));
        Assert.Contains(file.Administrations, a => a.Id == "AUDIT" && a.Role == AdministrationRole.Auditor);
    }

    private static readonly Dictionary<string, Action<RegistryFile>> Breakages = new()
    {
        { "'version' is missing", f => f.Version = "" },
        { "Administration id 'dila' is invalid", f => f.Administrations[0].Id = "dila" },
        { "declared twice", f => f.Administrations[1].Id = f.Administrations[0].Id },
        { "has no name", f => f.Administrations[0].Name = " " },
        { "invalid SIREN '12345'", f => f.Administrations[0].Siren = "12345" },
        { "Flow type id 'Bad Type' is invalid", f => f.FlowTypes[0].Id = "Bad Type" },
        { "lists no media type", f => f.FlowTypes[0].MediaTypes.Clear() },
        { "needs a positive maxSizeBytes", f => f.FlowTypes[0].MaxSizeBytes = 0 },
        { "signature level 'RGS****'", f => f.FlowTypes[0].SignatureLevel = "RGS****" },
        { "positive deliveryExpiryDays", f => f.FlowTypes[0].DeliveryExpiryDays = 0 },
        { "names unknown administration 'NOBODY'", f => f.FlowTypes[0].Recipients.Add("NOBODY") },
    };

    public static TheoryData<string> Broken => [.. Breakages.Keys];

    [Theory]
    [MemberData(nameof(Broken))]
    public void Validate_BrokenRegistry_ListsTheProblem(string expected)
    {
        var file = CreateValid();
        Breakages[expected](file);

        var errors = RegistryValidator.Validate(file);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralProblems_ListsThemAll()
    {
        var file = CreateValid();
        file.Version = "";
        file.FlowTypes[0].MaxSizeBytes = -1;

        Assert.Equal(2, RegistryValidator.Validate(file).Count);
    }

    private static RegistryFile CreateValid() => new()
    {
        Version = "test-1",
        Administrations =
        [
            new() { Id = "DILA", Name = "DILA" },
            new() { Id = "COMMUNE-06088", Name = "Nice", Siren = "210600888" },
        ],
        FlowTypes =
        [
            new()
            {
                Id = "etat-civil.demande-acte",
                Description = "test",
                MediaTypes = ["application/xml"],
                MaxSizeBytes = 1024,
                Senders = ["DILA"],
                Recipients = ["COMMUNE-06088"],
            },
        ],
    };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "Pec.sln")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}
