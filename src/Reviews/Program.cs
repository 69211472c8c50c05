using Reviews.Cli;

// The `reviews` tool: `up`, `serve`, `migrate`, `import`, `generate` (Cli/Commands.cs). The API lives in
// Api/, its SQL in Store/, the CSV importer in Importer/, the data generator in Generator/.
return await Commands.RunAsync(args);
