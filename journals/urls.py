app_name = "journals"

urlpatterns: list = []
