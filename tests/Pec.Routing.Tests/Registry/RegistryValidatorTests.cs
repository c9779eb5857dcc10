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
        { "codes of unknown kind 'cog'", f => f.Administrations[1].Codes["cog"] = ["06088"] },
        { "invalid insee code '6088'", f => f.Administrations[1].Codes["insee"] = ["6088"] },
        { "given to both 'DILA' and 'COMMUNE-06088'", f => f.Administrations[0].Codes["insee"] = ["06088"] },
        { "recipient rule 1: give exactly one of 'xpath' and 'jsonPath'", f => f.FlowTypes[0].RecipientRules[0] = new("/a", "$.a", "insee") },
        { "recipient rule 1: give exactly one of", f => f.FlowTypes[0].RecipientRules[0] = new(null, null, "insee") },
        { "the XPath expression '/a[' is invalid", f => f.FlowTypes[0].RecipientRules[0] = new("/a[", null, "insee") },
        { "the XPath expression 'count(/a)' returns a Number, not a node set", f => f.FlowTypes[0].RecipientRules[0] = new("count(/a)", null, "insee") },
        { "the XPath expression '/p:a' is invalid", f => f.FlowTypes[0].RecipientRules[0] = new("/p:a", null, "insee") },
        { "namespace prefix 'xmlp'", f => f.FlowTypes[0].RecipientRules[0] = new("/xmlp:a", null, "insee", new Dictionary<string, string> { ["xmlp"] = "urn:a" }) },
        { "the JSON path '$..a' is invalid or unsupported", f => f.FlowTypes[0].RecipientRules.Add(new(null, "$..a", "insee")) },
        { "a JSON path rule needs a JSON media type", f => f.FlowTypes[0].RecipientRules.Add(new(null, "$.a", "insee")) },
        { "an XPath rule needs an XML media type", f => f.FlowTypes[0].MediaTypes = ["application/json"] },
        { "'namespaces' applies to XPath rules only", f => f.FlowTypes[0].RecipientRules.Add(new(null, "$.a", "insee", new Dictionary<string, string> { ["p"] = "urn:a" })) },
        { "code kind 'cog' is unknown", f => f.FlowTypes[0].RecipientRules[0] = new("/a", null, "cog") },
        { "no administration has a siren code", f => f.FlowTypes[0].RecipientRules[0] = new("/a", null, "siren") },
        { "administration 'COMMUNE-83137' has a insee code but is not among the flow type's recipients", f => f.Administrations.Add(new() { Id = "COMMUNE-83137", Name = "Toulon", Codes = { ["insee"] = ["83137"] } }) },
        { "must have at most 512 characters", f => f.FlowTypes[0].RecipientRules[0] = new(null, "$" + string.Concat(Enumerable.Repeat(".a", 300)), "insee") },
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

    [Fact]
    public void Validate_SampleRegistryFile_RoutesNiceByInseeCode()
    {
        var path = Path.Combine(RepositoryRoot(), "ops", "registry.json");
        var file = System.Text.Json.JsonSerializer.Deserialize<RegistryFile>(File.ReadAllText(path), JsonOptions)!;

        var rule = Assert.Single(file.FlowTypes.Single(f => f.Id == "etat-civil.demande-acte").RecipientRules);
        Assert.Equal("/EnveloppeMetierType/DemandeActe/LieuActe/CodeINSEE", rule.XPath);
        Assert.Equal("insee", rule.Code);
        Assert.Equal(["06088"], file.Administrations.Single(a => a.Id == "COMMUNE-06088").Codes["insee"]);
    }

    private static RegistryFile CreateValid() => new()
    {
        Version = "test-1",
        Administrations =
        [
            new() { Id = "DILA", Name = "DILA" },
            new() { Id = "COMMUNE-06088", Name = "Nice", Siren = "210600888", Codes = { ["insee"] = ["06088"] } },
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
                RecipientRules = [new("/EnveloppeMetierType/DemandeActe/LieuActe/CodeINSEE", null, "insee")],
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
