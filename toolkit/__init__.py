"""skema: forms, returns and documents for det forstærkede samarbejde om de mest specialiserede
sociale tilbud."""
__version__ = "0.1.0"
