using Brokkr.Host;
using Brokkr.Host.Commands;

return args.Length > 0 && BrokkrCommands.IsCommand(args[0])
    ? await BrokkrCommands.RunAsync(args)
    : await BrokkrApp.ServeAsync(args);

public partial class Program;
