using Pec.Cli;

return PecCommand.Run(args, Console.Out, Console.Error);
