using System.Text;
using System.Text.RegularExpressions;

namespace BuildFarm.Worker.Processes;

/// <summary>
/// Builds the bash script for one buildspec phase so that, as in CodeBuild 0.2, a <c>cd</c> or an
/// <c>export</c> in one phase is still in effect in the next phase of the same job.
/// </summary>
/// <remarks>
/// <para>Every phase of a job runs in a new shell, so the state travels through a file,
/// <c>{stateDirectory}/phase-state.sh</c>. A phase script:</para>
/// <list type="number">
/// <item>if the file exists, unsets every exported variable, sources the file (the previous
/// phase's <c>export -p</c>, so unsets carry over too) and cds to the directory it recorded;</item>
/// <item>runs each command through <c>eval</c>, so a command is one unit even when it spans several
/// lines, and a syntax error stays inside it (status 2) instead of swallowing the commands after it;</item>
/// <item>stops at the first command with a non-zero status and exits with that status;</item>
/// <item>saves the state on the way out, also when a command runs <c>exit N</c> itself (an EXIT trap).</item>
/// </list>
/// <para>The script does not use <c>set -e</c> (its rules inside functions and conditionals are not
/// CodeBuild's) and does not echo the commands (the log's System lines say what runs). Only exported
/// variables cross phases; plain shell variables, functions and shell options last until the end of
/// their phase. The state file holds the step's environment, secrets included, so the caller makes
/// the state directory private to the worker's user (the script writes the file with umask 077).</para>
/// </remarks>
public static partial class PhaseScript
{
    /// <summary>The file in the state directory that carries one phase's state to the next.</summary>
    public const string StateFileName = "phase-state.sh";

    /// <summary>Builds the script for a phase whose variables all carry over from the previous phase.</summary>
    public static string Build(IReadOnlyList<string> commands, string stateDirectory) =>
        Build(commands, stateDirectory, []);

    /// <summary>
    /// Builds the script for one phase.
    /// </summary>
    /// <param name="commands">The phase's commands in order; each may span several lines.</param>
    /// <param name="stateDirectory">An absolute path, the same for every phase of the job; it must exist.</param>
    /// <param name="phaseVariables">
    /// Variables the caller sets anew for every phase (CODEBUILD_BUILD_SUCCEEDING): the value in
    /// this phase's environment wins, and they are never saved.
    /// </param>
    public static string Build(IReadOnlyList<string> commands, string stateDirectory, IReadOnlyCollection<string> phaseVariables)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(stateDirectory);
        ArgumentNullException.ThrowIfNull(phaseVariables);
        // The script cds around, so a relative path would save the state somewhere else each time.
        if (!Path.IsPathFullyQualified(stateDirectory))
        {
            throw new ArgumentException("The state directory must be an absolute path.", nameof(stateDirectory));
        }

        foreach (var name in phaseVariables)
        {
            if (!ShellName().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a shell variable name.", nameof(phaseVariables));
            }
        }

        var kept = string.Join(' ', phaseVariables);
        var script = new StringBuilder();
        script.Append("# BuildFarm phase script (worker/Processes/PhaseScript.cs).\n");
        script.Append("__bf_state=").Append(Quote(Path.Combine(stateDirectory, StateFileName), nameof(stateDirectory))).Append('\n');

        script.Append("if [ -f \"$__bf_state\" ]; then\n");
        script.Append("  for __bf_name in $(compgen -e); do\n");
        if (kept.Length > 0)
        {
            script.Append("    case \" ").Append(kept).Append(" \" in *\" $__bf_name \"*) continue ;; esac\n");
        }

        // Readonly exported variables (SHELLOPTS when the caller passed it) cannot be unset and need not be.
        script.Append("    builtin unset -v \"$__bf_name\" 2>/dev/null\n");
        script.Append("  done\n");
        script.Append("  __bf_saved_pwd=\n");
        script.Append("  . \"$__bf_state\"\n");
        script.Append("  if [ -z \"$__bf_saved_pwd\" ] || ! builtin cd -- \"$__bf_saved_pwd\"; then\n");
        script.Append("    builtin printf 'buildfarm: cannot resume in the directory where the previous phase ended (%s)\\n' \"$__bf_saved_pwd\" >&2\n");
        script.Append("    builtin exit 1\n");
        script.Append("  fi\n");
        script.Append("fi\n");

        // Builtins only, so a command that broke PATH cannot stop the save. The umask comes before
        // the redirection that creates the file; the pwd line goes last, so a file cut short is
        // caught by the check above; >| because a command may have turned on noclobber; and if the
        // file cannot be opened the subshell leaves rather than print the environment into the log.
        // Plain exec, not "builtin exec": through builtin the redirection would last for that one
        // command only, and export -p would print the environment into the log.
        script.Append("__bf_save() {\n");
        script.Append("  ( builtin umask 077\n");
        script.Append("    exec >| \"$__bf_state\" || builtin exit 1\n");
        if (kept.Length > 0)
        {
            script.Append("    builtin unset -v ").Append(kept).Append(" 2>/dev/null\n");
        }

        script.Append("    builtin export -p\n");
        script.Append("    builtin printf '__bf_saved_pwd=%q\\n' \"$PWD\" )\n");
        script.Append("}\n");

        // Normal ends save and then drop the trap, so a command that replaced our EXIT trap with its
        // own still gets its state saved; the trap is there for a command that calls exit itself.
        script.Append("__bf_end() { __bf_save; builtin trap - EXIT; builtin exit \"$1\"; }\n");
        script.Append("builtin trap __bf_save EXIT\n");

        foreach (var command in commands)
        {
            ArgumentNullException.ThrowIfNull(command, nameof(commands));
            script.Append("builtin eval ").Append(Quote(command, nameof(commands))).Append('\n');
            script.Append("__bf_status=$?; if [ \"$__bf_status\" -ne 0 ]; then __bf_end \"$__bf_status\"; fi\n");
        }

        script.Append("__bf_end 0\n");
        return script.ToString();
    }

    internal static string Quote(string text, string parameterName)
    {
        // Bash cannot hold a NUL in a word: the command would silently be cut at that byte.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("Shell text cannot contain a NUL character.", parameterName);
        }

        return "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ShellName();
}
