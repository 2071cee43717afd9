print("flows-bench")
