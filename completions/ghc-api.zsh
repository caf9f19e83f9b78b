#compdef ghc-api
# zsh completion for ghc-api (generated from the command specs; do not edit)

_ghc_api() {
  local -a commands
  commands=(
    'serve:Run the OpenAI- and Anthropic-compatible proxy and the dashboard'
    'auth:Log in to GitHub, show the login, log out'
    'config:Show, change and check config.yaml'
    'models:List the Copilot model catalog'
    'export:Write request records to a JSONL archive (gzip when the name ends in .gz)'
    'import:Read a JSONL archive (gzip or plain) into the request history, the daily files or a running server'
    'sync:Keep Claude Code, Codex and ghc-api settings in step across machines through OneDrive'
    'usage:Show token usage per model, machine, user or day across machines, or the Copilot quota'
    'agent:Drive ACP coding agents (Claude Code, Codex, Copilot CLI) from the shell; list and show their sessions'
    'keys:Make, list and revoke client API keys'
    'service:Run `ghc-api serve` as a login service\: install, uninstall, status, logs'
    'stand-in:Run a stand-in GitHub and Copilot upstream (for tests, benchmarks and trying clients)'
    'completions:Print the shell completion script for bash, zsh or fish'
    'manpage:Print the man page (roff)'
    'help:show help for a command'
  )
  _arguments -C \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:command:->command' \
    '*::arg:->args'
  case $state in
    command) _describe 'command' commands ;;
    args)
      case $words[1] in
        serve) _ghc_api_serve ;;
        auth) _ghc_api_auth ;;
        config) _ghc_api_config ;;
        models) _ghc_api_models ;;
        export) _ghc_api_export ;;
        import) _ghc_api_import ;;
        sync) _ghc_api_sync ;;
        usage) _ghc_api_usage ;;
        agent) _ghc_api_agent ;;
        keys) _ghc_api_keys ;;
        service) _ghc_api_service ;;
        stand-in) _ghc_api_stand_in ;;
        completions) _ghc_api_completions ;;
        manpage) _ghc_api_manpage ;;
      esac ;;
  esac
}

_ghc_api_serve() {
  _arguments \
    '(-p --port)'{-p,--port}'[Port to listen on]:value:' \
    '(-a --address)'{-a,--address}'[Address to listen on]:value:' \
    '(-v --verbose)'{-v,--verbose}'[Log at debug level]' \
    '--log-format[Log lines as text, or one JSON object per line]:value:(text json)' \
    '--demo[Use a built-in stand-in for GitHub and Copilot instead of your account]' \
    '--insecure-no-auth[Allow a non-loopback address without api_keys]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_auth() {
  local -a commands
  commands=(
    'login:Log in with GitHub'\''s device flow and save the token'
    'status:Show where the token comes from, the GitHub login, the Copilot plan and token expiry'
    'logout:Remove the saved token file'
  )
  _arguments -C \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:command:->command' \
    '*::arg:->args'
  case $state in
    command) _describe 'command' commands ;;
    args)
      case $words[1] in
        login) _ghc_api_auth_login ;;
        status) _ghc_api_auth_status ;;
        logout) _ghc_api_auth_logout ;;
      esac ;;
  esac
}

_ghc_api_auth_login() {
  _arguments \
    '--no-browser[Do not try to open the verification page in a browser]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_auth_status() {
  _arguments \
    '--json[Print JSON\: {logged_in, source, token_file, token_prefix, login, copilot_plan, copilot_api_base_url, copilot_token_expires_at, error}]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_auth_logout() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_config() {
  local -a commands
  commands=(
    'path:Print the config file'\''s path'
    'show:Print every key with its effective value and where it comes from'
    'get:Print one key'\''s effective value'
    'set:Change one key (validated, backed up, written atomically)'
    'unset:Remove a key so its default applies again'
    'init:Write a commented config.yaml with every default'
    'check:Report every problem in config.yaml at once; exit 1 if any is an error'
    'claude-code:Point Claude Code at this proxy\: the env block of its settings.json'
    'codex:Point Codex at this proxy\: a ghc-api model provider in ~/.codex/config.toml'
    'copilot-cli:Say how Copilot CLI relates to this proxy'
  )
  _arguments -C \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:command:->command' \
    '*::arg:->args'
  case $state in
    command) _describe 'command' commands ;;
    args)
      case $words[1] in
        path) _ghc_api_config_path ;;
        show) _ghc_api_config_show ;;
        get) _ghc_api_config_get ;;
        set) _ghc_api_config_set ;;
        unset) _ghc_api_config_unset ;;
        init) _ghc_api_config_init ;;
        check) _ghc_api_config_check ;;
        claude-code) _ghc_api_config_claude_code ;;
        codex) _ghc_api_config_codex ;;
        copilot-cli) _ghc_api_config_copilot_cli ;;
      esac ;;
  esac
}

_ghc_api_config_path() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_config_show() {
  _arguments \
    '--json[Print JSON\: {config_file, config_dir, exists, values, explicit_keys}]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_config_get() {
  _arguments \
    '--json[Print the value as JSON]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:key:'
}

_ghc_api_config_set() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:key:' \
    '2:value:'
}

_ghc_api_config_unset() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:key:'
}

_ghc_api_config_init() {
  _arguments \
    '--force[Replace an existing file (it is backed up first)]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_config_check() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_config_claude_code() {
  _arguments \
    '--print[Only print the diff; change nothing]' \
    '--undo[Put the newest backup back]' \
    '--api-key[The key the tool presents (from `ghc-api keys add`)]:value:' \
    '--model[The main model]:value:' \
    '--small-model[The model for small and background calls]:value:' \
    '--scope[~/.claude/settings.json, or .claude/settings.json here]:value:(user project)' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_config_codex() {
  _arguments \
    '--print[Only print the diff; change nothing]' \
    '--undo[Put the newest backup back]' \
    '--model[The model]:value:' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_config_copilot_cli() {
  _arguments \
    '--print[Only print the diff; change nothing]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_models() {
  _arguments \
    '--json[Print JSON\: {fetched_at, models\: \[{id, name, vendor, type, preview, context_window, max_prompt_tokens, max_output_tokens, supported_endpoints, vision, tool_calls, streaming, reasoning_efforts}\]}]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_export() {
  _arguments \
    '(-o --output)'{-o,--output}'[The archive to write; - for standard output]:file:_files' \
    '--from-daily[Read the daily request files instead of the history database]' \
    '--from[Read this archive or daily file instead of the history database]:file:_files' \
    '--server[Read the records of a running server (http\://127.0.0.1\:8313)]:value:' \
    '--since[Only records from this day (YYYY-MM-DD) or time (ISO-8601) on]:value:' \
    '--until[Only records up to this day (inclusive) or time]:value:' \
    '--model[Only records of this model (client or Copilot name)]:value:' \
    '--status[Only records with this status\: 200, 4xx, ok or error]:value:' \
    '--max-line-size[Longest line read; longer ones are reported and skipped]:value:' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_import() {
  _arguments \
    '--server[Send the records to a running server (http\://127.0.0.1\:8313)]:value:' \
    '--into-daily-files[Append the records to the daily files by their day instead of the history]' \
    '--max-size[Most bytes the archive may decompress to (with --server, the server'\''s limit)]:value:' \
    '--max-line-size[Longest line read; longer ones are reported and skipped]:value:' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:archive:'
}

_ghc_api_sync() {
  local -a commands
  commands=(
    'status:Show each file here and in OneDrive, and every machine'\''s hash; exit 3 when something differs'
    'diff:Print a unified diff of this machine'\''s files against OneDrive'\''s'
    'push:Copy this machine'\''s files to OneDrive (backing up what they replace)'
    'pull:Copy OneDrive'\''s files to this machine (backing up what they replace)'
    'backups:List the backups of each synced file, here and in OneDrive'
  )
  _arguments -C \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:command:->command' \
    '*::arg:->args'
  case $state in
    command) _describe 'command' commands ;;
    args)
      case $words[1] in
        status) _ghc_api_sync_status ;;
        diff) _ghc_api_sync_diff ;;
        push) _ghc_api_sync_push ;;
        pull) _ghc_api_sync_pull ;;
        backups) _ghc_api_sync_backups ;;
      esac ;;
  esac
}

_ghc_api_sync_status() {
  _arguments \
    '--onedrive[The OneDrive folder (else onedrive_path, else detected)]:file:_files' \
    '--json[Print the dashboard'\''s JSON]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_sync_diff() {
  _arguments \
    '--onedrive[The OneDrive folder (else onedrive_path, else detected)]:file:_files' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '*:key:(claude codex ghc-api)'
}

_ghc_api_sync_push() {
  _arguments \
    '--onedrive[The OneDrive folder (else onedrive_path, else detected)]:file:_files' \
    '--dry-run[Say what would be copied; change nothing]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '*:key:(claude codex ghc-api)'
}

_ghc_api_sync_pull() {
  _arguments \
    '--onedrive[The OneDrive folder (else onedrive_path, else detected)]:file:_files' \
    '--dry-run[Say what would be copied; change nothing]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '*:key:(claude codex ghc-api)'
}

_ghc_api_sync_backups() {
  _arguments \
    '--onedrive[The OneDrive folder (else onedrive_path, else detected)]:file:_files' \
    '--prune[Keep only the newest N backups of each file]:value:' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_usage() {
  _arguments \
    '--range[The window, back from now]:value:(hour day week month all)' \
    '--since[Only usage from this day (YYYY-MM-DD, UTC) or ISO-8601 time on]:value:' \
    '--until[Only usage up to this day (inclusive) or time]:value:' \
    '--by[Group the table]:value:(model machine user day)' \
    '--machine[Only this machine]:value:' \
    '--user[Only this user]:value:' \
    '--onedrive[The OneDrive folder (else onedrive_path, else detected)]:file:_files' \
    '--quota[Show the Copilot plan'\''s quotas instead\: chat, completions and premium requests]' \
    '--json[Print JSON (the dashboard'\''s overview, plus the groups)]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_agent() {
  local -a commands
  commands=(
    'list:Show each known and configured agent (installed? command, version) and the installed tools'\'' versions'
    'sessions:List the stored sessions of this machine (or another, with --machine)'
    'show:Print one stored session\: its header and every turn'
    'chat:Talk to an agent\: interactively on a terminal, or one turn with --prompt or piped input'
    'install:Install or update Claude Code, Codex, Copilot CLI and the ACP adapters with npm'
  )
  _arguments -C \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:command:->command' \
    '*::arg:->args'
  case $state in
    command) _describe 'command' commands ;;
    args)
      case $words[1] in
        list) _ghc_api_agent_list ;;
        sessions) _ghc_api_agent_sessions ;;
        show) _ghc_api_agent_show ;;
        chat) _ghc_api_agent_chat ;;
        install) _ghc_api_agent_install ;;
      esac ;;
  esac
}

_ghc_api_agent_list() {
  _arguments \
    '--json[Print JSON]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_agent_sessions() {
  _arguments \
    '--machine[Another machine'\''s sessions (through OneDrive)]:value:' \
    '--json[Print JSON]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_agent_show() {
  _arguments \
    '--machine[Another machine'\''s sessions (through OneDrive)]:value:' \
    '--json[Print JSON]' \
    '--verbose[Show thoughts, usage and tool output too]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:id:'
}

_ghc_api_agent_chat() {
  _arguments \
    '(-a --agent)'{-a,--agent}'[claude-code, codex, copilot-cli, or a name from acp_agents]:value:' \
    '--cwd[The session'\''s working directory]:file:_files' \
    '--add-dir[Another directory the agent may read and write]:file:_files' \
    '(-y --yes)'{-y,--yes}'[Allow each permission request once, without asking]' \
    '--deny[Reject each permission request, without asking]' \
    '(-p --prompt)'{-p,--prompt}'[Run one turn with this prompt and exit]:value:' \
    '--resume[Continue a stored session (a unique id prefix is enough)]:value:' \
    '--mode[Switch the agent to this mode first (e.g. plan, acceptEdits)]:value:' \
    '(-v --verbose)'{-v,--verbose}'[Show thoughts, usage, available commands and tool output]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_agent_install() {
  _arguments \
    '--dry-run[Say what would run; run nothing]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '*:tool:(claude-code codex copilot-cli acp-adapters)'
}

_ghc_api_keys() {
  local -a commands
  commands=(
    'add:Make a key and print it once'
    'list:Show every key\: name, prefix, created, last used, expiry and request count'
    'revoke:Stop accepting a key (a running server refuses it within a second)'
  )
  _arguments -C \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:command:->command' \
    '*::arg:->args'
  case $state in
    command) _describe 'command' commands ;;
    args)
      case $words[1] in
        add) _ghc_api_keys_add ;;
        list) _ghc_api_keys_list ;;
        revoke) _ghc_api_keys_revoke ;;
      esac ;;
  esac
}

_ghc_api_keys_add() {
  _arguments \
    '--expires[Stop accepting it after this many days]:value:' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:name:'
}

_ghc_api_keys_list() {
  _arguments \
    '--json[Print JSON\: \[{name, prefix, created_at, expires_at, expired, last_used_at, requests, input_tokens, output_tokens}\]]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_keys_revoke() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:name:'
}

_ghc_api_service() {
  local -a commands
  commands=(
    'install:Write the service file, then enable and start it'
    'uninstall:Stop and disable the service, then remove its file'
    'status:Show whether the service is installed and running, and whether the server answers'
    'logs:Show the service'\''s log (journalctl on Linux, its log file on macOS)'
  )
  _arguments -C \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:command:->command' \
    '*::arg:->args'
  case $state in
    command) _describe 'command' commands ;;
    args)
      case $words[1] in
        install) _ghc_api_service_install ;;
        uninstall) _ghc_api_service_uninstall ;;
        status) _ghc_api_service_status ;;
        logs) _ghc_api_service_logs ;;
      esac ;;
  esac
}

_ghc_api_service_install() {
  _arguments \
    '--dry-run[Print the file and the commands instead of writing or running anything]' \
    '--manager[Write for this service manager]:value:(systemd launchd)' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_service_uninstall() {
  _arguments \
    '--dry-run[Print what would be run and removed]' \
    '--manager[Write for this service manager]:value:(systemd launchd)' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_service_status() {
  _arguments \
    '--manager[Write for this service manager]:value:(systemd launchd)' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_service_logs() {
  _arguments \
    '(-n --lines)'{-n,--lines}'[How many of the latest lines]:value:' \
    '(-f --follow)'{-f,--follow}'[Keep printing new lines until Ctrl-C]' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_stand_in() {
  _arguments \
    '(-p --port)'{-p,--port}'[Port to listen on (0 picks a free one)]:value:' \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api_completions() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]' \
    '1:shell:(bash zsh fish)'
}

_ghc_api_manpage() {
  _arguments \
    '(-c --config)'{-c,--config}'[Use this config file instead of <config dir>/config.yaml]:file:_files' \
    '(-h --help)'{-h,--help}'[show help]'
}

_ghc_api "$@"
