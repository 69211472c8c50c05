namespace Reviews.Tests.Staff;

/// <summary>
/// `reviews token`: a token the service accepts, with the subject the audit trail records; precise errors otherwise.
/// The key comes from the environment, as on a stack, so these run in the API tests' collection, one at a time with
/// the tests that start servers without a key.
/// </summary>
public sealed class TokenCommandTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    const string KeyVariable = "Reviews__Auth__SigningKey";

    static async Task<CommandLine.Result> RunWithKeyAsync(string? key, params string[] args)
    {
        var before = Environment.GetEnvironmentVariable(KeyVariable);
        var dataBefore = Environment.GetEnvironmentVariable("Reviews__DataDirectory");
        Environment.SetEnvironmentVariable(KeyVariable, key);
        // A data folder without the key `up` makes, so that only the environment's counts.
        Environment.SetEnvironmentVariable("Reviews__DataDirectory", TempFiles.Path("no-data"));
        try
        {
            return await CommandLine.RunAsync(["token", .. args]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KeyVariable, before);
            Environment.SetEnvironmentVariable("Reviews__DataDirectory", dataBefore);
        }
    }

    [Fact]
    public async Task A_printed_token_signs_in_and_its_subject_is_the_actor()
    {
        var printed = await RunWithKeyAsync(StaffClient.SigningKey, "--role", "moderator", "--subject", "ana", "--ttl", "30m");
        Assert.Equal(0, printed.ExitCode);
        var token = printed.Output.Trim();
        await using var api = await ApiServer.StartAsync(await NewSeededDatabaseAsync(), StaffClient.Settings);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Post, "/moderation/reviews/1/remove", token)).StatusCode);
        Assert.Equal("ana", await PostgresFixture.ScalarAsync<string>(api.ConnectionString, "SELECT actor FROM staff.audit"));
        // A moderator's token is not a privacy officer's.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, "/privacy/reviews?email=a@b.c", token)).StatusCode);
    }

    [Theory]
    [InlineData("--role owner", "a role is one of moderator, privacy, admin")]
    [InlineData("--role moderator --ttl 8w", "--ttl must be")]
    [InlineData("--role moderator --ttl 30d", "--ttl must be")]
    public async Task Bad_flags_are_a_message_and_exit_1(string flags, string message)
    {
        var result = await RunWithKeyAsync(StaffClient.SigningKey, flags.Split(' '));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Without_a_key_it_says_how_to_get_one()
    {
        var result = await RunWithKeyAsync(null, "--role", "admin");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No signing key", result.Error);
        var tooShort = await RunWithKeyAsync(Convert.ToBase64String(new byte[16]), "--role", "admin");
        Assert.Equal(1, tooShort.ExitCode);
        Assert.DoesNotContain(Convert.ToBase64String(new byte[16]), tooShort.Error);
    }
}
