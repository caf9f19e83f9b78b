import GHCCore

/// Writes shell completion scripts from the command specs.
package struct CompletionWriter: Sendable {
    /// The shells scripts are written for.
    package static let shells = ["bash", "zsh", "fish"]

    /// The root command.
    package let root: CommandSpec

    /// Creates a writer for a spec tree.
    package init(root: CommandSpec) {
        self.root = root
    }

    /// The script for `shell` (one of `shells`).
    package func render(shell: String) -> String {
        switch shell {
        case "zsh": zsh()
        case "fish": fish()
        default: bash()
        }
    }

    /// Every command path with its spec, depth first.
    private func commands() -> [(path: [String], spec: CommandSpec)] {
        var result: [([String], CommandSpec)] = []
        func walk(_ spec: CommandSpec, _ path: [String]) {
            result.append((path, spec))
            for sub in spec.subcommands { walk(sub, path + [sub.name]) }
        }
        walk(root, [])
        return result
    }

    private func words(for spec: CommandSpec, isRoot: Bool) -> [String] {
        var words = spec.subcommands.map(\.name) + (isRoot ? ["help"] : [])
        words += (spec.flags + (isRoot ? [] : root.flags)).map { "--" + $0.long } + ["--help"]
        words += spec.positionals.flatMap(\.choices)
        return words
    }

    private func bash() -> String {
        var cases = ""
        for (path, spec) in commands() {
            let key = path.isEmpty ? "" : path.joined(separator: " ")
            cases += "        \"\(key)\") words=\"\(words(for: spec, isRoot: path.isEmpty).joined(separator: " "))\" ;;\n"
        }
        let pathFlags = commands().flatMap { $0.spec.flags }.filter { if case .path = $0.value { true } else { false } }.map {
            "--" + $0.long
        }
        let valueFlags = commands().flatMap { $0.spec.flags }.filter { $0.value != nil }.map { "--" + $0.long }
        return """
            # bash completion for ghc-api (generated from the command specs; do not edit)
            _ghc_api() {
                local cur prev path="" word i
                cur="${COMP_WORDS[COMP_CWORD]}"
                prev="${COMP_WORDS[COMP_CWORD-1]}"
                case " \(Set(pathFlags).sorted().joined(separator: " ")) " in
                    *" $prev "*) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
                esac
                case " \(Set(valueFlags).sorted().joined(separator: " ")) " in
                    *" $prev "*) COMPREPLY=(); return ;;
                esac
                for ((i = 1; i < COMP_CWORD; i++)); do
                    word="${COMP_WORDS[i]}"
                    case "$word" in -*) continue ;; esac
                    case "${path:+$path }$word" in
            \(commands().filter { !$0.path.isEmpty }.map { "            \"\($0.path.joined(separator: " "))\") path=\"${path:+$path }$word\" ;;" }.joined(separator: "\n"))
                    esac
                done
                local words=""
                case "$path" in
            \(cases)    esac
                COMPREPLY=( $(compgen -W "$words" -- "$cur") )
            }
            complete -F _ghc_api ghc-api

            """
    }

    private func zsh() -> String {
        var out = "#compdef ghc-api\n# zsh completion for ghc-api (generated from the command specs; do not edit)\n\n"
        for (path, spec) in commands() {
            let name = "_ghc_api" + path.map { "_" + $0.replacingAll("-", with: "_") }.joined()
            out += "\(name)() {\n"
            var arguments = (spec.flags + (path.isEmpty ? [] : root.flags)).map { flag -> String in
                let help = flag.help.replacingAll("'", with: "'\\''").replacingAll("[", with: "\\[").replacingAll("]", with: "\\]")
                    .replacingAll(":", with: "\\:")
                var action = ""
                switch flag.value {
                case .path?: action = ":file:_files"
                case .choice(let options)?: action = ":value:(\(options.joined(separator: " ")))"
                case .some: action = ":value:"
                case nil: break
                }
                let names = flag.short.map { "'(-\($0) --\(flag.long))'{-\($0),--\(flag.long)}'" } ?? "'--\(flag.long)"
                return "    \(names)[\(help)]\(action)'"
            }
            arguments.append("    '(-h --help)'{-h,--help}'[show help]'")
            if !spec.subcommands.isEmpty {
                let entries =
                    spec.subcommands.map { "'\($0.name):\($0.summary.replacingAll("'", with: "'\\''").replacingAll(":", with: "\\:"))'" }
                    + (path.isEmpty ? ["'help:show help for a command'"] : [])
                out += "  local -a commands\n  commands=(\n    \(entries.joined(separator: "\n    "))\n  )\n"
                arguments.append("    '1:command:->command'")
                arguments.append("    '*::arg:->args'")
                out += "  _arguments -C \\\n\(arguments.joined(separator: " \\\n"))\n"
                out += "  case $state in\n    command) _describe 'command' commands ;;\n    args)\n      case $words[1] in\n"
                for sub in spec.subcommands {
                    out += "        \(sub.name)) \(name)_\(sub.name.replacingAll("-", with: "_")) ;;\n"
                }
                out += "      esac ;;\n  esac\n}\n\n"
            } else {
                for (index, positional) in spec.positionals.enumerated() {
                    let action = positional.choices.isEmpty ? "" : "(\(positional.choices.joined(separator: " ")))"
                    let position = positional.repeats ? "*" : "\(positional.optional ? ":" : "")\(index + 1)"
                    arguments.append("    '\(position):\(positional.name.lowercased()):\(action)'")
                }
                out += "  _arguments \\\n\(arguments.joined(separator: " \\\n"))\n}\n\n"
            }
        }
        out += "_ghc_api \"$@\"\n"
        return out
    }

    private func fish() -> String {
        var out = "# fish completion for ghc-api (generated from the command specs; do not edit)\ncomplete -c ghc-api -f\n"
        for (path, spec) in commands() {
            let condition: String
            if path.isEmpty {
                condition = "__fish_use_subcommand"
            } else {
                let siblings = path.count == 1 ? [] : [path.last ?? ""]
                condition =
                    "__fish_seen_subcommand_from \(path.last ?? "")"
                    + (siblings.isEmpty && !spec.subcommands.isEmpty
                        ? "; and not __fish_seen_subcommand_from \(spec.subcommands.map(\.name).joined(separator: " "))" : "")
            }
            for sub in spec.subcommands {
                out += "complete -c ghc-api -n '\(condition)' -a \(sub.name) -d '\(sub.summary.replacingAll("'", with: "\\'"))'\n"
            }
            for flag in spec.flags {
                var line = "complete -c ghc-api -n '\(condition)' -l \(flag.long)"
                if let short = flag.short { line += " -s \(short)" }
                switch flag.value {
                case .path?: line += " -r -F"
                case .choice(let options)?: line += " -x -a '\(options.joined(separator: " "))'"
                case .some: line += " -x"
                case nil: break
                }
                out += line + " -d '\(flag.help.replacingAll("'", with: "\\'"))'\n"
            }
            for positional in spec.positionals where !positional.choices.isEmpty {
                out += "complete -c ghc-api -n '\(condition)' -a '\(positional.choices.joined(separator: " "))'\n"
            }
        }
        return out
    }
}
