import NBRunCLI

NBRun.main()
