namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>Where the real servers are: <c>ops/test</c> starts them and sets these variables.</summary>
internal static class TestEnvironment
{
    public static string Postgres => Required("PEC_TEST_POSTGRES");

    public static string RabbitMq => Required("PEC_TEST_RABBITMQ");

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pec.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Pec.sln not found above the test binaries.");
        }
    }

    /// <summary>The public sample files, beside the repository as <c>../shared/corpus</c>, or where PEC_CORPUS points.</summary>
    public static string Corpus =>
        Environment.GetEnvironmentVariable("PEC_CORPUS") is { Length: > 0 } path
            ? path
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "corpus"));

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with ops/test, which starts PostgreSQL and RabbitMQ and sets it.");
}
