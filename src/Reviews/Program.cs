using Reviews.Cli;

// The `reviews` tool: `up`, `serve`, `migrate`, `import`, `generate` (Cli/Commands.cs). The web service is built in
// Hosting/ReviewsApi.cs; README.md, "Layout", says what each folder holds.
return await Commands.RunAsync(args);
