using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Swatop.Cli")]
