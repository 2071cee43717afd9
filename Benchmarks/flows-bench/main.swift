// flows-bench: the reference workloads of the flow library, with figures to
// compare against the peers' versions (see Benchmarks/README.md).
//
//   swift run -c release flows-bench realnvp-2d --steps 2000
//   swift run -c release flows-bench maf-2d --steps 2000
//   swift run -c release flows-bench nsf-2d --steps 2000
//   swift run -c release flows-bench glow-digits --steps 200
//   swift run -c release flows-bench micro

import Foundation
import Tensors

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return value }
    return v
}

func usage() -> Never {
    print("""
        usage: flows-bench realnvp-2d [--steps N] [--seed S] [--shards K]
               flows-bench maf-2d | nsf-2d [--steps N] [--seed S] [--shards K]
               flows-bench glow-digits [--steps N] [--seed S] [--shards K]
               flows-bench ar-cost
               flows-bench micro
        """)
    exit(2)
}

guard let workload = arguments.first else { usage() }
switch workload {
case "realnvp-2d":
    runRealNVP2D(steps: option("--steps", default: 500), seed: UInt64(option("--seed", default: 0)),
                 shards: option("--shards", default: 2))
case "maf-2d", "nsf-2d":
    runAutoregressive2D(String(workload.prefix(3)), steps: option("--steps", default: 500),
                        seed: UInt64(option("--seed", default: 0)), shards: option("--shards", default: 2))
case "glow-digits":
    runGlowDigits(steps: option("--steps", default: 200), seed: UInt64(option("--seed", default: 0)),
                  shards: option("--shards", default: 2))
case "ar-cost":
    runAutoregressiveCost(seed: UInt64(option("--seed", default: 0)))
case "micro":
    runMicro()
default:
    usage()
}
