# bash completion for litellm (litellm-cpp). Install: source it, or copy it to
# /usr/share/bash-completion/completions/litellm.

_litellm() {
  local cur prev words cword
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"

  local subcommands="serve start logs version providers config models health status stop reload chat ollama key team user spend"
  local serve_flags="--config --model --host --port --num_workers --detailed_debug --detach"
  local connect_flags="--base-url --api-key --config --json"

  # The first word that is a subcommand decides what comes next.
  local sub="" sub2="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    local w="${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    if [[ -z "$sub" && " $subcommands " == *" $w "* ]]; then
      sub="$w"
    elif [[ ( "$sub" == config || "$sub" == ollama || "$sub" == key || "$sub" == team || "$sub" == user ) && -z "$sub2" ]]; then
      sub2="$w"
    fi
  done

  case "$prev" in
    --config|-c)
      COMPREPLY=($(compgen -f -X '!*.@(yaml|yml)' -- "$cur") $(compgen -d -- "$cur"))
      return ;;
    --host|--port|-p|--num_workers|--base-url|--api-key|--model|-m|--system|--lines|-n|--ollama-url|--search|--alias|--models|--max-budget|--budget-duration|--duration|--user-id|--team-id|--rpm|--tpm|--max-parallel|--page|--size|--since|--until|--id|--email|--role)
      return ;;
    --by)
      COMPREPLY=($(compgen -W "key team model user customer day" -- "$cur"))
      return ;;
    --category)
      COMPREPLY=($(compgen -W "chat code embedding vision reasoning tools" -- "$cur"))
      return ;;
  esac

  local words_here
  case "$sub" in
    "") words_here="$subcommands $serve_flags --version --help" ;;
    serve|start) words_here="$serve_flags --help" ;;
    logs) words_here="--follow --lines --help" ;;
    version|stop|reload) words_here="--help" ;;
    providers) words_here="--json --markdown --help" ;;
    models|health|status) words_here="$connect_flags --help" ;;
    chat) words_here="$connect_flags --model --system --no-stream --help" ;;
    key)
      case "$sub2" in
        "") words_here="create list info update delete regenerate block unblock $connect_flags --help" ;;
        create|update) words_here="--alias --models --max-budget --budget-duration --duration --user-id --team-id --rpm --tpm --max-parallel $connect_flags --help" ;;
        list) words_here="--user-id --team-id --page --size $connect_flags --help" ;;
        info|delete|regenerate|block|unblock) words_here="$connect_flags --help" ;;
      esac ;;
    spend) words_here="--by --since --until $connect_flags --help" ;;
    team|user)
      local party_flags="--models --max-budget --budget-duration --rpm --tpm"
      [[ "$sub" == team ]] && party_flags+=" --alias" || party_flags+=" --email"
      case "$sub2" in
        "") words_here="create list info update delete $connect_flags --help"
            [[ "$sub" == team ]] && words_here+=" add-member remove-member" ;;
        create) words_here="--id $party_flags $connect_flags --help" ;;
        update) words_here="$party_flags $connect_flags --help" ;;
        add-member) words_here="--role $connect_flags --help" ;;
        *) words_here="$connect_flags --help" ;;
      esac ;;
    ollama)
      case "$sub2" in
        "") words_here="list list-available pull sync --help" ;;
        list) words_here="--ollama-url --json --help" ;;
        pull) words_here="--ollama-url --help" ;;
        sync) words_here="--config -c --dry-run --ollama-url --help" ;;
        list-available) words_here="--category --search --json --help" ;;
      esac ;;
    config)
      case "$sub2" in
        "") words_here="validate show init --help" ;;
        validate) words_here="--help"; COMPREPLY=($(compgen -f -- "$cur")) ;;
        show) words_here="--json --help"; COMPREPLY=($(compgen -f -- "$cur")) ;;
        init) words_here="--force --help"; COMPREPLY=($(compgen -f -- "$cur")) ;;
      esac ;;
  esac
  COMPREPLY+=($(compgen -W "$words_here" -- "$cur"))
}
complete -F _litellm litellm

_litellmd() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --config|-c) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --host|--port|-p|--num_workers|--model|-m) return ;;
  esac
  COMPREPLY=($(compgen -W "--config --model --host --port --num_workers --detailed_debug --version --help" -- "$cur"))
}
complete -F _litellmd litellmd
