# fish completion for litellm and litellmd (litellm-cpp). Install: copy to
# ~/.config/fish/completions/ (or /usr/share/fish/vendor_completions.d/).

set -l subcommands serve start logs version providers config models health status stop reload chat ollama key team user spend
complete -c litellm -f
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a serve -d 'Run the gateway in the foreground'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a start -d 'Start the gateway in the background'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a logs -d "Show the background daemon's log"
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a version -d 'Print the version'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a providers -d 'Providers and their capabilities'
complete -c litellm -n "__fish_seen_subcommand_from providers" -l json -d 'Print JSON'
complete -c litellm -n "__fish_seen_subcommand_from providers" -l markdown -d 'Print a Markdown table'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a config -d 'Config file tools'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a models -d 'List the model groups'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a health -d 'Check every deployment'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a status -d 'Is a daemon running?'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a stop -d 'Stop the running daemon'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a reload -d 'Re-read the config'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a chat -d 'Ask a model'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a ollama -d 'Ollama models'

# Serving flags: at the top level (LiteLLM's spelling), serve and start.
set -l serving "not __fish_seen_subcommand_from $subcommands; or __fish_seen_subcommand_from serve start"
complete -c litellm -n "$serving" -s c -l config -r -F -d 'LiteLLM config.yaml to serve'
complete -c litellm -n "$serving" -s m -l model -r -d 'Serve one model with no config'
complete -c litellm -n "$serving" -l host -r -d 'Address to listen on'
complete -c litellm -n "$serving" -s p -l port -r -d 'Port (0 picks a free one)'
complete -c litellm -n "$serving" -l num_workers -r -d 'IO threads'
complete -c litellm -n "$serving" -l detailed_debug -d 'Log debug detail'
complete -c litellm -n "$serving" -s d -l detach -d 'Run in the background'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -s v -l version -d 'Print the version'

set -l connecting "__fish_seen_subcommand_from models health status chat"
complete -c litellm -n "$connecting" -l base-url -r -d 'Daemon URL'
complete -c litellm -n "$connecting" -l api-key -r -d 'Key to present'
complete -c litellm -n "$connecting" -s c -l config -r -F -d "Config whose master_key to use"
complete -c litellm -n "$connecting" -l json -d 'Print JSON'
complete -c litellm -n "__fish_seen_subcommand_from chat" -s m -l model -r -d 'Model group'
complete -c litellm -n "__fish_seen_subcommand_from chat" -l system -r -d 'A system prompt'
complete -c litellm -n "__fish_seen_subcommand_from chat" -l no-stream -d 'Wait for the whole answer'
complete -c litellm -n "__fish_seen_subcommand_from logs" -s f -l follow -d 'Keep printing new lines'
complete -c litellm -n "__fish_seen_subcommand_from logs" -s n -l lines -r -d 'Lines from the end'

complete -c litellm -n "__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from validate show init" -a validate -d 'Check a config'
complete -c litellm -n "__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from validate show init" -a show -d 'Print the resolved config'
complete -c litellm -n "__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from validate show init" -a init -d 'Write a starter config'
complete -c litellm -n "__fish_seen_subcommand_from validate show init" -F
complete -c litellm -n "__fish_seen_subcommand_from show" -l json -d 'Print JSON'
complete -c litellm -n "__fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'

set -l ollama_subs list list-available pull sync
complete -c litellm -n "__fish_seen_subcommand_from ollama; and not __fish_seen_subcommand_from $ollama_subs" -a list -d 'Installed on the Ollama server'
complete -c litellm -n "__fish_seen_subcommand_from ollama; and not __fish_seen_subcommand_from $ollama_subs" -a list-available -d 'Popular models to pull'
complete -c litellm -n "__fish_seen_subcommand_from ollama; and not __fish_seen_subcommand_from $ollama_subs" -a pull -d 'Pull a model'
complete -c litellm -n "__fish_seen_subcommand_from ollama; and not __fish_seen_subcommand_from $ollama_subs" -a sync -d 'Match config deployments to installed models'
complete -c litellm -n "__fish_seen_subcommand_from ollama; and __fish_seen_subcommand_from list pull sync" -l ollama-url -r -d 'Ollama server URL'
complete -c litellm -n "__fish_seen_subcommand_from ollama; and __fish_seen_subcommand_from sync" -s c -l config -r -F -d 'Config file'
complete -c litellm -n "__fish_seen_subcommand_from ollama; and __fish_seen_subcommand_from sync" -l dry-run -d 'Print the diff, change nothing'
complete -c litellm -n "__fish_seen_subcommand_from ollama; and __fish_seen_subcommand_from list list-available" -l json -d 'Print JSON'
complete -c litellm -n "__fish_seen_subcommand_from list-available" -l category -r -a 'chat code embedding vision reasoning tools' -d 'Category'
complete -c litellm -n "__fish_seen_subcommand_from list-available" -l search -r -d 'Text in the name or description'

complete -c litellmd -s c -l config -r -F -d 'LiteLLM config.yaml to serve'
complete -c litellmd -s m -l model -r -d 'Serve one model with no config'
complete -c litellmd -l host -r -d 'Address to listen on'
complete -c litellmd -s p -l port -r -d 'Port (0 picks a free one)'
complete -c litellmd -l num_workers -r -d 'IO threads'
complete -c litellmd -l detailed_debug -d 'Log debug detail'
complete -c litellmd -s v -l version -d 'Print the version'

# key
set -l key_subs create list info update delete regenerate block unblock
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a key -d 'Virtual keys'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a create -d 'Create a virtual key'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a list -d 'List virtual keys'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a info -d 'Show one key'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a delete -d 'Delete keys'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a update -d 'Change a key'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a regenerate -d 'Replace a key, keeping its settings'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a block -d 'Refuse a key until unblocked'
complete -c litellm -n "__fish_seen_subcommand_from key; and not __fish_seen_subcommand_from $key_subs" -a unblock -d 'Let a blocked key work again'
complete -c litellm -n "__fish_seen_subcommand_from key" -l base-url -r -d 'Daemon URL'
complete -c litellm -n "__fish_seen_subcommand_from key" -l api-key -r -d 'Key to present'
complete -c litellm -n "__fish_seen_subcommand_from key" -s c -l config -r -F -d 'Config whose master_key to use'
complete -c litellm -n "__fish_seen_subcommand_from key" -l json -d 'Print JSON'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l alias -r -d 'A unique name'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l models -r -d 'Model groups it may use'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l max-budget -r -d 'Spend cap in USD'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l budget-duration -r -d 'Budget reset period'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l duration -r -d 'Expires after'
complete -c litellm -n "__fish_seen_subcommand_from create update list" -l user-id -r -d 'Owner'
complete -c litellm -n "__fish_seen_subcommand_from create update list" -l team-id -r -d 'Team'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l rpm -r -d 'Requests per minute'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l tpm -r -d 'Tokens per minute'
complete -c litellm -n "__fish_seen_subcommand_from key; and __fish_seen_subcommand_from list" -l page -r -d 'Page'
complete -c litellm -n "__fish_seen_subcommand_from key; and __fish_seen_subcommand_from list" -l size -r -d 'Keys per page'
complete -c litellm -n "__fish_seen_subcommand_from create update" -l max-parallel -r -d 'Calls in flight at once'

# spend
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a spend -d 'What was spent'
complete -c litellm -n "__fish_seen_subcommand_from spend" -l by -r -a 'key team model user customer day' -d 'Group by'
complete -c litellm -n "__fish_seen_subcommand_from spend" -l since -r -d 'First day: YYYY-MM-DD or 7d'
complete -c litellm -n "__fish_seen_subcommand_from spend" -l until -r -d 'Last day: YYYY-MM-DD'
complete -c litellm -n "__fish_seen_subcommand_from spend" -l base-url -r -d 'Daemon URL'
complete -c litellm -n "__fish_seen_subcommand_from spend" -l api-key -r -d 'Key to present'
complete -c litellm -n "__fish_seen_subcommand_from spend" -s c -l config -r -F -d 'Config whose master_key to use'
complete -c litellm -n "__fish_seen_subcommand_from spend" -l json -d 'Print JSON'

# team, user
set -l party_subs create list info update delete add-member remove-member
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a team -d 'Teams'
complete -c litellm -n "not __fish_seen_subcommand_from $subcommands" -a user -d 'Users'
complete -c litellm -n "__fish_seen_subcommand_from team user; and not __fish_seen_subcommand_from $party_subs" -a 'create list info update delete'
complete -c litellm -n "__fish_seen_subcommand_from team; and not __fish_seen_subcommand_from $party_subs" -a 'add-member remove-member'
complete -c litellm -n "__fish_seen_subcommand_from team user" -l base-url -r -d 'Daemon URL'
complete -c litellm -n "__fish_seen_subcommand_from team user" -l api-key -r -d 'Key to present'
complete -c litellm -n "__fish_seen_subcommand_from team user" -s c -l config -r -F -d 'Config whose master_key to use'
complete -c litellm -n "__fish_seen_subcommand_from team user" -l json -d 'Print JSON'
complete -c litellm -n "__fish_seen_subcommand_from team user; and __fish_seen_subcommand_from create" -l id -r -d 'Its id'
complete -c litellm -n "__fish_seen_subcommand_from team; and __fish_seen_subcommand_from create update" -l alias -r -d 'Team name'
complete -c litellm -n "__fish_seen_subcommand_from user; and __fish_seen_subcommand_from create update" -l email -r -d 'Email address'
complete -c litellm -n "__fish_seen_subcommand_from team user; and __fish_seen_subcommand_from create update" -l models -r -d 'Model groups it may use'
complete -c litellm -n "__fish_seen_subcommand_from team user; and __fish_seen_subcommand_from create update" -l max-budget -r -d 'Spend cap in USD'
complete -c litellm -n "__fish_seen_subcommand_from team user; and __fish_seen_subcommand_from create update" -l budget-duration -r -d 'Budget reset period'
complete -c litellm -n "__fish_seen_subcommand_from team user; and __fish_seen_subcommand_from create update" -l rpm -r -d 'Requests per minute'
complete -c litellm -n "__fish_seen_subcommand_from team user; and __fish_seen_subcommand_from create update" -l tpm -r -d 'Tokens per minute'
complete -c litellm -n "__fish_seen_subcommand_from team; and __fish_seen_subcommand_from add-member" -l role -r -a 'admin user' -d 'Role'
