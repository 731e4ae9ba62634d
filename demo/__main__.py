from demo.run_demo import main

raise SystemExit(main())
