from publish import cli

raise SystemExit(cli.main())
