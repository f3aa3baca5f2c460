from stackprint.cli import main

main()
