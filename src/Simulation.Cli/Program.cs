using Simulation.Cli.Commands;

return await SimCommand.InvokeAsync(args, Console.Out, Console.Error);
