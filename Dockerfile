# The service's image: `serve` (the default command), `migrate`, and `import DIR` as a one-shot job for a mounted
# folder of legacy CSV files. The database comes from the environment or a secret file (ConnectionStrings__Reviews,
# README "Configuration"), never from the command line.
#   podman build --format docker -t reviews .      (docker build -t reviews . elsewhere)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone first, so that a change to the code does not download packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Reviews/Reviews.csproj src/Reviews/
RUN dotnet restore src/Reviews -r linux-x64
COPY src/ src/
# Self-contained: the runtime-deps image (Debian libraries, no .NET) is the smallest base that runs it.
RUN dotnet publish src/Reviews -c Release -r linux-x64 --self-contained --no-restore -o /out

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
# Npgsql loads the Kerberos library at start; without it every start logs a warning (passwords need nothing else).
RUN apt-get update && apt-get install -y --no-install-recommends libgssapi-krb5-2 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/ ./
# Not root: the base image's `app` user (uid 1654). It listens on the base image's port, 8080 (ASPNETCORE_HTTP_PORTS).
USER app
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ASPNETCORE_HTTP_PORTS:-8080} && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3"]
ENTRYPOINT ["/app/reviews"]
CMD ["serve"]
