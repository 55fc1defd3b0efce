package overlay

level := 2
