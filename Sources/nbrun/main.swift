import NBRunCLI
import Plumbing

// Ctrl-C stops the chapters, compilers and checks a command started, too.
Subprocess.stopChildrenOnInterrupt()
NBRun.main()
