using Reviews.Cli;

namespace Reviews.Tests.Cli;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes
public sealed class LocalPostgresTests
{
    [Fact]
    public void As_root_a_folder_the_postgres_user_cannot_reach_moves_the_cluster_under_var_tmp()
    {
        var closed = Directory.CreateDirectory(TempFiles.Path("closed"));
        try
        {
            closed.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            var inside = new LocalPostgres(Path.Combine(closed.FullName, ".data"), TextWriter.Null).DataDirectory;
            var open = new LocalPostgres(Path.Combine(Path.GetTempPath(), "open", ".data"), TextWriter.Null).DataDirectory;

            Assert.Equal(Path.Combine(Path.GetTempPath(), "open", ".data", "postgres"), open);
            if (Environment.IsPrivilegedProcess)
                Assert.Matches("^/var/tmp/reviews-[0-9a-f]{12}/postgres$", inside);
            else
                Assert.Equal(Path.Combine(closed.FullName, ".data", "postgres"), inside);
        }
        finally
        {
            closed.Delete(recursive: true);
        }
    }
}
