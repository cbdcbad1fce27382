export const helpText = `council: talk to your AI colleagues from the terminal

  council agents [--json]
  council ask <agent> <message...> [--file PATH]... [--tools a.b,...] [--session S] [--json]
  council consult <message...> --agents a,b,c [--file PATH]... [--tools a.b,...] [--json]
  council tools [--json]                 (the tools of the MCP servers in MCP_CONFIG)
  council chat <agent> [--file PATH]... [--tools a.b,...] [--session S] [--json]   (piped input: one reply per line; /help /clear /quit)
  council meeting types [--json]
  council meeting start <type> --title T --topic X [--topic Y] [--participants a,b] [--model agent=model]...
                        [--independent|--no-independent] [--tools a.b,...] [--json]   (independent: each topic opens with positions given unseen; default: the type's;
                                   tools: allowed for the meeting's turns, pinned now, kept on resume)
  council meeting list|show <id>|pause <id>|resume <id>|cancel <id>|minutes <id> [--json]
                                   (while a meeting streams, lines on stdin are said in it; /pause /resume /cancel; --no-input turns it off)
  council actions list [--mine] [--all] | done <id> [--json]
  council memory list [--agent id] [--json]
  council memory show|forget <id> | council memory edit <id> <text> | council memory why <answer message id> [--json]
  council memory clear --agent id|--all [--yes] [--json]
  council export > backup.ndjson
  council import backup.ndjson [--json]
  council keys create <name> | list | revoke <id|name> [--json]
  council settings show|set|reset <guild|category|channel|thread> <id> [<key> <value...> | <key...>|--all] [--json]
  council demo [--json]
  council help | --version

Errors print one line to stderr; exit 2 for bad usage or unknown names, 1 for failures outside (Ollama, database), 130 on Ctrl-C.
Answering no when asked to confirm (memory clear) is not a failure: it prints "nothing cleared" and exits 0.
While a server holds the embedded database (npm start), commands run inside it.
Settings come from the environment (OLLAMA_BASE_URL, MODEL_NAME, DATABASE_URL, DATA_DIR, ...): see .env.example.
`;
