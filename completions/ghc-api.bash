# bash completion for ghc-api (generated from the command specs; do not edit)
_ghc_api() {
    local cur prev path="" word i
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    case " --add-dir --config --cwd --from --onedrive --output " in
        *" $prev "*) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    esac
    case " --add-dir --address --agent --api-key --by --config --cwd --expires --from --lines --log-format --machine --manager --max-line-size --max-size --mode --model --onedrive --output --port --prompt --prune --range --resume --scope --server --since --small-model --status --until --user " in
        *" $prev "*) COMPREPLY=(); return ;;
    esac
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        case "$word" in -*) continue ;; esac
        case "${path:+$path }$word" in
            "serve") path="${path:+$path }$word" ;;
            "auth") path="${path:+$path }$word" ;;
            "auth login") path="${path:+$path }$word" ;;
            "auth status") path="${path:+$path }$word" ;;
            "auth logout") path="${path:+$path }$word" ;;
            "config") path="${path:+$path }$word" ;;
            "config path") path="${path:+$path }$word" ;;
            "config show") path="${path:+$path }$word" ;;
            "config get") path="${path:+$path }$word" ;;
            "config set") path="${path:+$path }$word" ;;
            "config unset") path="${path:+$path }$word" ;;
            "config init") path="${path:+$path }$word" ;;
            "config check") path="${path:+$path }$word" ;;
            "config claude-code") path="${path:+$path }$word" ;;
            "config codex") path="${path:+$path }$word" ;;
            "config copilot-cli") path="${path:+$path }$word" ;;
            "models") path="${path:+$path }$word" ;;
            "export") path="${path:+$path }$word" ;;
            "import") path="${path:+$path }$word" ;;
            "sync") path="${path:+$path }$word" ;;
            "sync status") path="${path:+$path }$word" ;;
            "sync diff") path="${path:+$path }$word" ;;
            "sync push") path="${path:+$path }$word" ;;
            "sync pull") path="${path:+$path }$word" ;;
            "sync backups") path="${path:+$path }$word" ;;
            "usage") path="${path:+$path }$word" ;;
            "agent") path="${path:+$path }$word" ;;
            "agent list") path="${path:+$path }$word" ;;
            "agent sessions") path="${path:+$path }$word" ;;
            "agent show") path="${path:+$path }$word" ;;
            "agent chat") path="${path:+$path }$word" ;;
            "agent install") path="${path:+$path }$word" ;;
            "keys") path="${path:+$path }$word" ;;
            "keys add") path="${path:+$path }$word" ;;
            "keys list") path="${path:+$path }$word" ;;
            "keys revoke") path="${path:+$path }$word" ;;
            "service") path="${path:+$path }$word" ;;
            "service install") path="${path:+$path }$word" ;;
            "service uninstall") path="${path:+$path }$word" ;;
            "service status") path="${path:+$path }$word" ;;
            "service logs") path="${path:+$path }$word" ;;
            "stand-in") path="${path:+$path }$word" ;;
            "completions") path="${path:+$path }$word" ;;
            "manpage") path="${path:+$path }$word" ;;
        esac
    done
    local words=""
    case "$path" in
        "") words="serve auth config models export import sync usage agent keys service stand-in completions manpage help --config --help" ;;
        "serve") words="--port --address --verbose --log-format --demo --insecure-no-auth --config --help" ;;
        "auth") words="login status logout --config --help" ;;
        "auth login") words="--no-browser --config --help" ;;
        "auth status") words="--json --config --help" ;;
        "auth logout") words="--config --help" ;;
        "config") words="path show get set unset init check claude-code codex copilot-cli --config --help" ;;
        "config path") words="--config --help" ;;
        "config show") words="--json --config --help" ;;
        "config get") words="--json --config --help" ;;
        "config set") words="--config --help" ;;
        "config unset") words="--config --help" ;;
        "config init") words="--force --config --help" ;;
        "config check") words="--config --help" ;;
        "config claude-code") words="--print --undo --api-key --model --small-model --scope --config --help" ;;
        "config codex") words="--print --undo --model --config --help" ;;
        "config copilot-cli") words="--print --config --help" ;;
        "models") words="--json --config --help" ;;
        "export") words="--output --from-daily --from --server --since --until --model --status --max-line-size --config --help" ;;
        "import") words="--server --into-daily-files --max-size --max-line-size --config --help" ;;
        "sync") words="status diff push pull backups --config --help" ;;
        "sync status") words="--onedrive --json --config --help" ;;
        "sync diff") words="--onedrive --config --help claude codex ghc-api" ;;
        "sync push") words="--onedrive --dry-run --config --help claude codex ghc-api" ;;
        "sync pull") words="--onedrive --dry-run --config --help claude codex ghc-api" ;;
        "sync backups") words="--onedrive --prune --config --help" ;;
        "usage") words="--range --since --until --by --machine --user --onedrive --quota --json --config --help" ;;
        "agent") words="list sessions show chat install --config --help" ;;
        "agent list") words="--json --config --help" ;;
        "agent sessions") words="--machine --json --config --help" ;;
        "agent show") words="--machine --json --verbose --config --help" ;;
        "agent chat") words="--agent --cwd --add-dir --yes --deny --prompt --resume --mode --verbose --config --help" ;;
        "agent install") words="--dry-run --config --help claude-code codex copilot-cli acp-adapters" ;;
        "keys") words="add list revoke --config --help" ;;
        "keys add") words="--expires --config --help" ;;
        "keys list") words="--json --config --help" ;;
        "keys revoke") words="--config --help" ;;
        "service") words="install uninstall status logs --config --help" ;;
        "service install") words="--dry-run --manager --config --help" ;;
        "service uninstall") words="--dry-run --manager --config --help" ;;
        "service status") words="--manager --config --help" ;;
        "service logs") words="--lines --follow --config --help" ;;
        "stand-in") words="--port --config --help" ;;
        "completions") words="--config --help bash zsh fish" ;;
        "manpage") words="--config --help" ;;
    esac
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -F _ghc_api ghc-api
