from slagen.cli import main

main()
