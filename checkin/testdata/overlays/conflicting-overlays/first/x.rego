package overlay

level := 1
