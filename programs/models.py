"""Programs, cycles, enrolment, questionnaires, training, resources and coordinator roles."""
